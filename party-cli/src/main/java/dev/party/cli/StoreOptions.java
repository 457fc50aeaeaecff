package dev.party.cli;

import dev.party.error.ConfigException;
import dev.party.store.TaskStore;
import dev.party.store.sqlite.SqliteStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which store a command talks to. Mixed into every command. */
final class StoreOptions {

  @Option(
      names = "--db",
      paramLabel = "PATH|URL",
      defaultValue = "${env:PARTY_DB_URL:-party-data/party.db}",
      description = "The store: a SQLite file path (or jdbc:sqlite:PATH). Env: PARTY_DB_URL. Default: ${DEFAULT-VALUE}.")
  String db;

  TaskStore open() {
    return SqliteStore.open(sqliteFile());
  }

  /** Where per-machine files live (worker locks): beside the SQLite file. */
  Path dataDirectory() {
    Path parent = sqliteFile().toAbsolutePath().getParent();
    return parent != null ? parent : Path.of(".").toAbsolutePath();
  }

  private Path sqliteFile() {
    if (db.startsWith("jdbc:sqlite:")) return Path.of(db.substring("jdbc:sqlite:".length()));
    if (db.startsWith("jdbc:")) {
      throw new ConfigException("--db " + db + ": only SQLite stores (a file path or jdbc:sqlite:PATH) are supported");
    }
    return Path.of(db);
  }
}
