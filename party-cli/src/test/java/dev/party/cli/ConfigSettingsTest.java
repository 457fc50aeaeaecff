package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.error.ConfigException;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every setting from one place: flag over environment over config file over default. */
class ConfigSettingsTest {
  @TempDir Path dir;

  private Path config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("party.yaml"), yaml);
  }

  private static <T> T parsed(Map<String, String> env, String command, Class<T> type, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine cli = Main.commandLine(env, all);
    cli.parseArgs(all);
    return type.cast(cli.getSubcommands().get(command).getCommand());
  }

  @Test
  void a_flag_wins_over_the_environment_which_wins_over_the_file_which_wins_over_the_default() throws IOException {
    Path file = config("""
        store: {db: from-file.db, pool-size: 3}
        workers: {count: 3, lease: 2 minutes, queues: [mail, video]}
        http: {port: 9001, host: 0.0.0.0, tcp: false, max-in-flight: 64, drain-timeout: 20s}
        cleanup: {every: off, retention: 2 days}
        """);
    String conf = file.toString();

    ServerCommand fromFile = parsed(Map.of(), "server", ServerCommand.class, "--config", conf);
    assertThat(fromFile.store.db).isEqualTo("from-file.db");
    assertThat(fromFile.store.poolSize).isEqualTo(3);
    assertThat(fromFile.engine.workers).isEqualTo(3);
    assertThat(fromFile.engine.lease).isEqualTo(Duration.ofMinutes(2));
    assertThat(fromFile.engine.queues).containsExactly("mail", "video");
    assertThat(fromFile.port).isEqualTo(9001);
    assertThat(fromFile.host).isEqualTo("0.0.0.0");
    assertThat(fromFile.tcp).isFalse();
    assertThat(fromFile.maxInFlight).isEqualTo(64);
    assertThat(fromFile.drainTimeout).isEqualTo(Duration.ofSeconds(20));
    assertThat(fromFile.cleanup.config().every()).isNull();
    assertThat(fromFile.cleanup.config().retention()).isEqualTo(Duration.ofDays(2));
    assertThat(fromFile.engine.heartbeat).as("a key left out keeps the default").isEqualTo(Duration.ofSeconds(10));

    Map<String, String> env = Map.of("PARTY_WORKERS", "5", "PARTY_PORT", "9002", "PARTY_DB_URL", "from-env.db",
        "PARTY_TCP", "true");
    ServerCommand fromEnv = parsed(env, "server", ServerCommand.class, "--config", conf);
    assertThat(fromEnv.engine.workers).isEqualTo(5);
    assertThat(fromEnv.port).isEqualTo(9002);
    assertThat(fromEnv.store.db).isEqualTo("from-env.db");
    assertThat(fromEnv.tcp).isTrue();
    assertThat(fromEnv.engine.lease).as("the file still gives what the environment does not").isEqualTo(Duration.ofMinutes(2));

    ServerCommand fromFlags = parsed(env, "server", ServerCommand.class, "--config", conf, "--workers", "7",
        "--port", "9003", "--db", "from-flag.db", "--no-tcp");
    assertThat(fromFlags.engine.workers).isEqualTo(7);
    assertThat(fromFlags.port).isEqualTo(9003);
    assertThat(fromFlags.store.db).isEqualTo("from-flag.db");
    assertThat(fromFlags.tcp).isFalse();

    ServerCommand defaults = parsed(Map.of(), "server", ServerCommand.class, "--config", config("{}\n").toString());
    assertThat(defaults.store.db).isEqualTo("party-data/party.db");
    assertThat(defaults.port).isEqualTo(8032);
    assertThat(defaults.host).isEqualTo("127.0.0.1");
    assertThat(defaults.tcp).isTrue();
    assertThat(defaults.engine.workers).isNull();
    assertThat(defaults.cleanup.config().every()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void party_config_in_the_environment_names_the_file_for_every_command() throws IOException {
    Path file = config("store: {db: " + dir.resolve("named.db") + "}\n");
    CliRun run = CliRun.withEnv(Map.of("PARTY_CONFIG", file.toString()), "enqueue", "NoopTask");
    assertThat(run.exitCode()).as(run.err()).isZero();
    try (var store = SqliteStore.open(dir.resolve("named.db"))) {
      assertThat(store.list(TaskQuery.all())).extracting(TaskView::handler).containsExactly("NoopTask");
    }
  }

  @Test
  void every_setting_has_a_flag_and_every_key_flag_and_variable_is_documented() throws IOException {
    Set<String> flags = new HashSet<>();
    CommandLine cli = Main.commandLine();
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().options().stream()
        .map(OptionSpec::longestName).forEach(flags::add));
    String docs = Files.readString(Path.of("../docs/configuration.md"));
    for (ConfigKey setting : ConfigKey.ALL) {
      assertThat(flags).as("a command takes " + setting.flag()).contains(setting.flag());
      assertThat(docs).as("docs/configuration.md names " + setting.env()).contains(setting.env());
      assertThat(docs).as("docs/configuration.md names " + setting.flag()).contains(setting.flag());
      if (setting.key() != null) assertThat(docs).as("docs/configuration.md names " + setting.key()).contains("`" + setting.key() + "`");
    }
    for (String key : ConfigFile.keys()) assertThat(docs).as("docs name the key " + key).contains(key + ":");
    for (String key : TaskTypeSettings.KEYS) assertThat(docs).as("docs name task-types." + key).contains("`" + key + "`");
    for (String key : DataSourceSettings.KEYS) assertThat(docs).as("docs name datasources." + key).contains("`" + key + "`");
  }

  @Test
  void a_bad_value_in_the_file_or_environment_says_where_it_came_from() throws IOException {
    Path file = config("workers: {count: many}\n");
    CliRun fromFile = CliRun.withEnv(Map.of(), "worker", "--drain", "--config", file.toString(), "--db", dir.resolve("p.db").toString());
    assertThat(fromFile.exitCode()).isEqualTo(2);
    assertThat(fromFile.err()).contains("'many'", "(from workers.count in " + file + ")").doesNotContain("\tat ");

    CliRun fromEnv = CliRun.withEnv(Map.of("PARTY_LEASE", "a while"), "worker", "--drain", "--db", dir.resolve("p.db").toString());
    assertThat(fromEnv.exitCode()).isEqualTo(2);
    assertThat(fromEnv.err()).contains("a while", "(from the environment variable PARTY_LEASE)");
    assertThat(dir.resolve("p.db")).doesNotExist();
  }

  @Test
  void unknown_keys_and_wrong_shapes_are_refused_before_anything_runs() throws IOException {
    assertRefused("http: {prot: 8080}\n", "unknown key 'http.prot'", "port");
    assertRefused("workers: 4\n", "workers must be a map of");
    assertRefused("store: {db: [a, b]}\n", "store.db must be a single value");
    assertRefused("task-types: {SampleTask: {max-attempts: 0}}\n", "task-types.SampleTask", "maxAttempts must be between 1");
    assertRefused("task-types: {SampleTask: {retries: 3}}\n", "unknown key 'task-types.SampleTask.retries'");
    assertRefused("task-types: {SampleTask: {rate-limit: lots}}\n", "STARTS per WINDOW");
    assertRefused("datasources: {reports: {user: x}}\n", "datasources.reports: give its url");
    assertRefused("datasources: {reports: {url: 'jdbc:sqlite:x.db', password: a, password-env: B}}\n", "not both");
  }

  private void assertRefused(String yaml, String... expected) throws IOException {
    Path file = config(yaml);
    assertThatThrownBy(() -> Main.commandLine(Map.of(), "worker", "--config", file.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining(file.toString()).hasMessageContaining(expected[0]);
    CliRun run = CliRun.withEnv(Map.of(), "worker", "--drain", "--config", file.toString(), "--db", dir.resolve("p.db").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(expected).doesNotContain("\tat ");
    assertThat(dir.resolve("p.db")).doesNotExist();
  }

  @Test
  void task_types_in_the_file_change_the_handlers_of_the_node() throws IOException {
    Path db = dir.resolve("party.db");
    Path file = config("""
        task-types:
          FlakyTask: {max-attempts: 1, retention: 1 day}
        cleanup: {every: off}
        """);
    assertThat(CliRun.withEnv(Map.of(), "enqueue", "FlakyTask", "--db", db.toString(), "--config", file.toString()).exitCode()).isZero();
    CliRun worker = CliRun.withEnv(Map.of(), "worker", "--drain", "--name", "types-test", "--db", db.toString(),
        "--config", file.toString());
    assertThat(worker.exitCode()).as(worker.err()).isZero();
    try (var store = SqliteStore.open(db)) {
      TaskView flaky = store.list(TaskQuery.all()).getFirst();
      assertThat(flaky.state()).as("one attempt, where the code allows six").isEqualTo(TaskState.FAILED);
      assertThat(flaky.attempts()).isEqualTo(1);
    }

    Path typo = config("task-types:\n  FlakyTsak: {max-attempts: 1}\n");
    CliRun refused = CliRun.withEnv(Map.of(), "worker", "--drain", "--db", db.toString(), "--config", typo.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("'FlakyTsak'", "FlakyTask");
  }

  @Test
  void a_worker_process_never_supervises_even_when_the_file_it_shares_says_processes() throws IOException {
    Path file = config("workers: {processes: 2}\ncleanup: {every: off}\n");
    assertThat(parsed(Map.of(), "worker", WorkerCommand.class, "--config", file.toString()).processes).isEqualTo(2);
    // as its supervisor starts it: --parent-pid; it drains as one worker instead of starting two processes
    CliRun child = CliRun.withEnv(Map.of(), "worker", "--drain", "--config", file.toString(), "--name", "child-1",
        "--parent-pid", Long.toString(ProcessHandle.current().parent().orElseThrow().pid()), "--db", dir.resolve("p.db").toString());
    assertThat(child.exitCode()).as(child.err()).isZero();
    try (var store = SqliteStore.open(dir.resolve("p.db"))) {
      assertThat(store.restartedWorkers()).isZero();
      assertThat(store.workers(java.time.Instant.now())).extracting(dev.party.store.WorkerView::name).containsExactly("child-1");
    }
  }

  @Test
  void party_config_prints_each_settings_value_and_where_it_comes_from_without_passwords() throws IOException {
    Path file = config("""
        store: {db: "jdbc:postgresql://db/party?user=party&password=hunter2"}
        http: {port: 9000}
        queues: {video: 2}
        """);
    CliRun run = CliRun.withEnv(Map.of("PARTY_WORKERS", "3"), "config", "--config", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("config file: " + file)
        .containsPattern("http.port +9000 +http.port in " + java.util.regex.Pattern.quote(file.toString()))
        .containsPattern("workers.count +3 +the environment variable PARTY_WORKERS")
        .containsPattern("http.host +127.0.0.1 +default")
        .containsPattern("tasks-dir +tasks, when it exists +default")
        .contains("password=***", "queues: video=2")
        .doesNotContain("hunter2");
  }

  @Test
  void party_config_exits_2_naming_a_value_party_server_would_refuse() throws IOException {
    Path file = config("http: {port: eighty}\n");
    CliRun run = CliRun.withEnv(Map.of(), "config", "--config", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).containsPattern("http.port +eighty");
    assertThat(run.err()).contains("'eighty'", "(from http.port in " + file + ")");

    CliRun cleanup = CliRun.withEnv(Map.of("PARTY_COMPLETED_DUMP", "c.log"), "config", "--config", config("{}\n").toString());
    assertThat(cleanup.exitCode()).isEqualTo(2);
    assertThat(cleanup.err()).contains("give both cleanup dump files");
  }

  @Test
  void only_the_settings_own_flags_read_the_file_so_a_schedule_is_not_named_after_the_worker() throws IOException {
    Path db = dir.resolve("party.db");
    Path file = config("workers: {name: worker-a}\ncleanup: {every: off}\n");
    CliRun run = CliRun.withEnv(Map.of("PARTY_WORKER_NAME", "worker-b"), "schedule", "NoopTask", "--every", "1h",
        "--config", file.toString(), "--db", db.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    try (var store = SqliteStore.open(db)) {
      assertThat(store.schedules()).extracting(dev.party.schedule.ScheduleView::name)
          .doesNotContain("worker-a", "worker-b").singleElement().asString().startsWith("NoopTask");
    }
    assertThat(parsed(Map.of(), "worker", WorkerCommand.class, "--config", file.toString()).engine.workerId())
        .isEqualTo("worker-a");
  }

  @Test
  void per_queue_counts_and_a_shared_pool_never_mix_the_stronger_source_wins() throws IOException {
    Path both = config("queues: {a: 2}\nworkers: {count: 3}\n");
    WorkerCommand sameSource = parsed(Map.of(), "worker", WorkerCommand.class, "--config", both.toString());
    assertThatThrownBy(() -> sameSource.engine.queueWorkers(ConfigFile.read(both)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("give queues: (workers per queue) or workers.count");

    Path map = config("queues: {a: 2, b: 1}\n");
    ConfigFile file = ConfigFile.read(map);
    assertThat(parsed(Map.of(), "worker", WorkerCommand.class, "--config", map.toString()).engine.queueWorkers(file))
        .containsExactly(Map.entry("a", 2), Map.entry("b", 1));
    assertThat(parsed(Map.of("PARTY_WORKERS", "3"), "worker", WorkerCommand.class, "--config", map.toString())
        .engine.queueWorkers(file)).as("the environment over the file").isEmpty();
    assertThat(parsed(Map.of(), "worker", WorkerCommand.class, "--config", map.toString(), "--queues", "a")
        .engine.queueWorkers(file)).as("a flag over the file").isEmpty();
    assertThat(parsed(Map.of("PARTY_WORKERS", "4"), "worker", WorkerCommand.class, "--queue", "c=1")
        .engine.queueWorkers(ConfigFile.none())).as("--queue over the environment").containsExactly(Map.entry("c", 1));
    WorkerCommand flags = parsed(Map.of(), "worker", WorkerCommand.class, "--queue", "c=1", "--workers", "2");
    assertThatThrownBy(() -> flags.engine.queueWorkers(ConfigFile.none())).hasMessageContaining("not both");
  }

  @Test
  void a_boolean_flag_beats_the_files_true_both_ways_and_reaches_worker_processes() throws IOException {
    Path file = config("workers: {virtual-threads: true}\n");
    String conf = file.toString();
    assertThat(parsed(Map.of(), "worker", WorkerCommand.class, "--config", conf).engine.virtualThreads).isTrue();
    assertThat(parsed(Map.of(), "worker", WorkerCommand.class, "--config", conf, "--virtual-threads").engine.virtualThreads).isTrue();
    assertThat(parsed(Map.of(), "worker", WorkerCommand.class, "--config", conf, "--no-virtual-threads").engine.virtualThreads).isFalse();
    assertThat(parsed(Map.of("PARTY_VIRTUAL_THREADS", "false"), "worker", WorkerCommand.class, "--config", conf)
        .engine.virtualThreads).isFalse();

    CommandLine cli = Main.commandLine(Map.of(), "worker", "--config", conf, "--no-virtual-threads", "--processes", "2");
    var parsedWorker = cli.parseArgs("worker", "--config", conf, "--no-virtual-threads", "--processes", "2").subcommand();
    assertThat(ChildCommand.workerFlags(parsedWorker)).containsExactly("--config", conf, "--no-virtual-threads");
  }

  @Test
  void yaml_booleans_where_a_word_is_meant_are_refused_and_queue_names_lose_their_spaces() throws IOException {
    assertRefused("workers: {name: no}\n", "workers.name reads false as false, a YAML boolean; quote it");
    assertRefused("workers: {queues: [mail, off]}\n", "workers.queues reads false");
    WorkerCommand spaced = parsed(Map.of("PARTY_QUEUES", "mail, video"), "worker", WorkerCommand.class);
    assertThat(spaced.engine.queues).containsExactly("mail", " video");
    var builder = dev.party.Party.builder(SqliteStore.open(dir.resolve("q.db")));
    try (var party = spaced.engine.applyTo(builder, ConfigFile.none(), spaced.cleanup).build()) {
      assertThat(party.config().queues()).containsExactlyInAnyOrder("mail", "video");
    }
  }

  @Test
  void help_and_version_answer_even_when_the_config_file_is_broken() throws IOException {
    Path broken = config("wokers: 1\n");
    CliRun help = CliRun.withEnv(Map.of("PARTY_CONFIG", broken.toString()), "worker", "--help");
    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out()).contains("--workers");
    CliRun run = CliRun.withEnv(Map.of("PARTY_CONFIG", broken.toString()), "status");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown key 'wokers'");
  }

  @Test
  void the_flags_defaults_are_the_libraries_defaults() throws IOException {
    ServerCommand server = parsed(Map.of(), "server", ServerCommand.class, "--config", config("{}\n").toString());
    var http = server.checked();
    assertThat(http).isEqualTo(dev.party.server.ServerConfig.defaults());
    var engine = dev.party.PartyConfig.defaults();
    assertThat(server.engine.lease).isEqualTo(engine.lease());
    assertThat(server.engine.heartbeat).isEqualTo(engine.heartbeat());
    assertThat(server.engine.poll).isEqualTo(engine.pollInterval());
    assertThat(server.engine.grace).isEqualTo(engine.shutdownGrace());
    assertThat(server.engine.workerId()).isEqualTo(engine.workerId());
    assertThat(server.cleanup.config()).isEqualTo(dev.party.CleanupConfig.defaults());
    assertThat(server.store.poolSize).isEqualTo(dev.party.store.postgres.PostgresOptions.of("jdbc:postgresql://h/d").poolSize());
  }
}
