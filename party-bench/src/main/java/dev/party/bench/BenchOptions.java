package dev.party.bench;

import dev.party.store.sqlite.SqliteStore;

/** Command-line settings of {@link Bench}, with the defaults the figures use. */
record BenchOptions(int tasks, int batch, int workers, int latencySamples, SqliteStore.Durability durability) {

  static BenchOptions parse(String[] args) {
    int tasks = 100_000;
    int batch = 1_000;
    int workers = 8;
    int latency = 1_000;
    SqliteStore.Durability durability = SqliteStore.Durability.FULL;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--tasks" -> tasks = Integer.parseInt(value);
        case "--batch" -> batch = Integer.parseInt(value);
        case "--workers" -> workers = Integer.parseInt(value);
        case "--latency" -> latency = Integer.parseInt(value);
        case "--durability" -> durability = SqliteStore.Durability.valueOf(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; options: --tasks N --batch N --workers N --latency N --durability FULL|NORMAL");
      }
      i++;
    }
    return new BenchOptions(tasks, batch, workers, latency, durability);
  }
}
