package dev.party.cli;

import dev.party.error.ConfigException;
import dev.party.store.TaskStore;
import dev.party.store.postgres.PostgresStore;
import dev.party.store.sqlite.SqliteStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which store a command talks to. Mixed into every command. */
final class StoreOptions {

  @Option(
      names = "--db",
      paramLabel = "PATH|URL",
      defaultValue = "${env:PARTY_DB_URL:-party-data/party.db}",
      description = "The store: a SQLite file path (or jdbc:sqlite:PATH), or jdbc:postgresql://HOST:PORT/DB?user=U. "
          + "Env: PARTY_DB_URL. Default: ${DEFAULT-VALUE}.")
  String db;

  TaskStore open() {
    return isPostgres() ? PostgresStore.open(db) : SqliteStore.open(sqliteFile());
  }

  /** Where per-machine files live (worker locks): beside the SQLite file, or ./party-data. */
  Path dataDirectory() {
    if (isPostgres()) return Path.of("party-data").toAbsolutePath();
    Path parent = sqliteFile().toAbsolutePath().getParent();
    return parent != null ? parent : Path.of(".").toAbsolutePath();
  }

  private boolean isPostgres() {
    return db.startsWith("jdbc:postgresql:");
  }

  private Path sqliteFile() {
    if (db.startsWith("jdbc:sqlite:")) return Path.of(db.substring("jdbc:sqlite:".length()));
    if (db.startsWith("jdbc:")) {
      throw new ConfigException("--db " + db + ": use a SQLite file path, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB");
    }
    return Path.of(db);
  }
}
