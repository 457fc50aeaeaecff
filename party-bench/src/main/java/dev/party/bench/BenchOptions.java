package dev.party.bench;

import dev.party.store.sqlite.SqliteStore;

/** Command-line settings of {@link Bench}, with the defaults the issues' figures use. */
record BenchOptions(
    String store,
    String url,
    int tasks,
    int batch,
    int workers,
    int latencySamples,
    int backlog,
    SqliteStore.Durability durability,
    boolean http,
    int clients,
    int requests) {

  static final String USAGE = "options: --store sqlite|postgres --db JDBC_URL --tasks N --batch N --workers N"
      + " --latency N --backlog N (0 skips the backlog rows) --durability FULL|NORMAL"
      + " --http (the HTTP API rows instead) --clients N --requests N";

  static BenchOptions parse(String[] args) {
    String store = "sqlite";
    String url = System.getenv().getOrDefault("PARTY_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    int tasks = 100_000;
    int batch = 1_000;
    int workers = 8;
    int latency = 1_000;
    int backlog = 0;
    SqliteStore.Durability durability = SqliteStore.Durability.FULL;
    boolean http = false;
    int clients = 16;
    int requests = 50_000;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      if (args[i].equals("--http")) {
        http = true;
        i--;
        continue;
      }
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(value);
        case "--requests" -> requests = Integer.parseInt(value);
        case "--store" -> store = value;
        case "--db" -> url = value;
        case "--tasks" -> tasks = Integer.parseInt(value);
        case "--batch" -> batch = Integer.parseInt(value);
        case "--workers" -> workers = Integer.parseInt(value);
        case "--latency" -> latency = Integer.parseInt(value);
        case "--backlog" -> backlog = Integer.parseInt(value);
        case "--durability" -> durability = SqliteStore.Durability.valueOf(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
      }
    }
    if (!store.equals("sqlite") && !store.equals("postgres")) throw new IllegalArgumentException(USAGE);
    return new BenchOptions(store, url, tasks, batch, workers, latency, backlog, durability, http, clients, requests);
  }

  BenchStore openStore() throws Exception {
    return store.equals("postgres") ? new PostgresBenchStore(url) : new SqliteBenchStore(durability);
  }
}
