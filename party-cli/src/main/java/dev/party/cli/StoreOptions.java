package dev.party.cli;

import dev.party.PartyBuilder;
import dev.party.error.ConfigException;
import dev.party.store.TaskStore;
import dev.party.store.postgres.PostgresOptions;
import dev.party.store.postgres.PostgresStore;
import dev.party.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which store a command talks to, the handlers it knows and the config file it reads. Mixed into every command. */
final class StoreOptions {

  @Option(
      names = "--db",
      paramLabel = "PATH|URL",
      defaultValue = "party-data/party.db",
      description = "The store: a SQLite file path (or jdbc:sqlite:PATH), or jdbc:postgresql://HOST:PORT/DB?user=U. "
          + "Env: PARTY_DB_URL. File: store.db. Default: ${DEFAULT-VALUE}.")
  String db;

  @Option(names = "--db-pool-size", paramLabel = "N", defaultValue = "10",
      description = "PostgreSQL connections pooled by this process. Env: PARTY_DB_POOL_SIZE. File: store.pool-size."
          + " Default: ${DEFAULT-VALUE}.")
  int poolSize;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The config file (YAML). Env: PARTY_CONFIG. Default: party.yaml when it exists.")
  Path config;

  @Option(names = "--tasks-dir", paramLabel = "DIR",
      description = "Load the task modules of every jar in this folder. Env: PARTY_TASKS_DIR. File: tasks-dir."
          + " Default: tasks when it exists.")
  Path tasksDir;

  private ConfigFile configFile;

  /**
   * Registers the handlers of the classpath's modules and of the tasks folder's jars, with the
   * config file's task-types laid over them: every command that stores or runs tasks sees the
   * same settings (an enqueue stores the handler's max attempts with the task).
   */
  PartyBuilder handlers(PartyBuilder builder) {
    configFile().taskTypes().forEach(type -> builder.taskType(type.handler(), type.change()));
    return Handlers.registerAll(builder, tasksDir);
  }

  /** The command this is mixed into: its default provider holds the file and environment Main read. */
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The config file: the one named, else party.yaml when it exists, else none. Read once. */
  ConfigFile configFile() {
    if (configFile == null) {
      // Main read the file the arguments name (or PARTY_CONFIG, or party.yaml) already
      configFile = defaults().filter(d -> config == null || Objects.equals(d.file().path(), config))
          .map(ConfigDefaults::file).orElseGet(() -> ConfigFile.load(config));
    }
    return configFile;
  }

  /** The environment Main read the settings from (tests give their own). */
  Map<String, String> env() {
    return defaults().map(ConfigDefaults::env).orElseGet(System::getenv);
  }

  private Optional<ConfigDefaults> defaults() {
    return mixee != null && mixee.commandLine().getDefaultValueProvider() instanceof ConfigDefaults defaults
        ? Optional.of(defaults) : Optional.empty();
  }

  /** The store for log lines: a password in the URL masked. */
  String describe() {
    return Secrets.mask(db);
  }

  TaskStore open() {
    if (poolSize < 1) throw new ConfigException("--db-pool-size must be at least 1, not " + poolSize);
    return isPostgres() ? PostgresStore.open(PostgresOptions.of(db).poolSize(poolSize)) : SqliteStore.open(sqliteFile());
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
