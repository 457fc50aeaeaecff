package dev.party.bench;

import dev.party.store.TaskStore;
import dev.party.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.stream.Stream;

/** One SQLite file per scenario in a temporary folder. */
final class SqliteBenchStore implements BenchStore {
  private final Path dir;
  private final SqliteStore.Durability durability;

  SqliteBenchStore(SqliteStore.Durability durability) throws IOException {
    this.dir = Files.createTempDirectory("party-bench-");
    this.durability = durability;
  }

  @Override
  public String description() {
    return "SQLite (synchronous=" + durability + ")";
  }

  @Override
  public TaskStore open(String scenario) {
    return SqliteStore.open(dir.resolve(scenario + ".db"), durability, InstantSource.system());
  }

  @Override
  public String dbArgument(String scenario) {
    return dir.resolve(scenario + ".db").toString();
  }

  @Override
  public long storedBytes(String scenario) throws IOException {
    long bytes = 0;
    for (String suffix : new String[] {".db", ".db-wal"}) {
      Path file = dir.resolve(scenario + suffix);
      if (Files.exists(file)) bytes += Files.size(file);
    }
    return bytes;
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    }
  }
}
