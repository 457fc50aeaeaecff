package dev.party.cli;

import dev.party.Party;
import dev.party.error.ConfigException;
import dev.party.error.WorkerNameInUseException;
import dev.party.server.ApiToken;
import dev.party.server.PartyServer;
import dev.party.server.ServerConfig;
import dev.party.server.metrics.PartyMetrics;
import dev.party.store.TaskStore;
import dev.party.store.WorkerNameLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the HTTP API and the workers over one store, until SIGTERM.",
      "Listens on TCP (127.0.0.1:8032 unless told otherwise), on a Unix socket with --socket, or both.",
      "On SIGTERM it stops accepting requests, then stops the workers as `party worker` does.",
      "With --workers 0 it runs no handlers (tasks run in `party worker` processes on the same store); with",
      "--processes N it runs them in N supervised worker processes: a handler that kills its JVM then",
      "leaves the API up. See docs/operations.md."
    })
final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @Mixin StoreOptions store;

  @Mixin EngineOptions engine;

  @Mixin CleanupOptions cleanup;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "TCP address to bind. Env: PARTY_HOST. File: http.host. Default: ${DEFAULT-VALUE} (this machine only).")
  String host;

  @Option(names = "--port", defaultValue = "8032",
      description = "TCP port; 0 picks a free one. Env: PARTY_PORT. File: http.port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--tcp", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Listen on TCP; --no-tcp for the Unix socket only. Env: PARTY_TCP. File: http.tcp. Default: on.")
  boolean tcp;

  @Option(names = "--socket", paramLabel = "PATH",
      description = "Also listen on this Unix domain socket (created 0660), e.g. party-data/party.sock. Env: PARTY_SOCKET."
          + " File: http.socket.")
  Path socket;

  @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
      description = "Largest request body in bytes; larger ones are refused with too_large. Env: PARTY_MAX_BODY."
          + " File: http.max-body. Default: ${DEFAULT-VALUE}.")
  int maxBody;

  @Option(names = "--max-tasks-per-post", paramLabel = "N", defaultValue = "10000",
      description = "Most tasks in one POST /tasks. Env: PARTY_MAX_TASKS_PER_POST. File: http.max-tasks-per-post."
          + " Default: ${DEFAULT-VALUE}.")
  int maxTasksPerPost;

  @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "128",
      description = "Requests served at once; more wait for a slot. Env: PARTY_MAX_IN_FLIGHT. File: http.max-in-flight."
          + " Default: ${DEFAULT-VALUE}.")
  int maxInFlight;

  @Option(names = "--queue-wait", paramLabel = "DURATION", defaultValue = "5s",
      description = "How long a request waits for a slot before 503 busy. Env: PARTY_QUEUE_WAIT. File: http.queue-wait."
          + " Default: ${DEFAULT-VALUE}.")
  Duration queueWait;

  @Option(names = "--max-tasks-in-flight", paramLabel = "N", defaultValue = "20000",
      description = "Tasks POST /tasks may be enqueuing at once, a request weighing its task count; more wait."
          + " Env: PARTY_MAX_TASKS_IN_FLIGHT. File: http.max-tasks-in-flight. Default: ${DEFAULT-VALUE}.")
  int maxTasksInFlight;

  @Option(names = "--enqueue-timeout", paramLabel = "DURATION", defaultValue = "5s",
      description = "How long a POST /tasks may wait for room and for its write before 503 busy (nothing stored)."
          + " Env: PARTY_ENQUEUE_TIMEOUT. File: http.enqueue-timeout. Default: ${DEFAULT-VALUE}.")
  Duration enqueueTimeout;

  @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "At SIGTERM, how long requests in flight may finish. Env: PARTY_DRAIN_TIMEOUT. File: http.drain-timeout."
          + " Default: ${DEFAULT-VALUE}.")
  Duration drainTimeout;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "A connection that sends nothing this long is closed. Env: PARTY_IDLE_TIMEOUT. File: http.idle-timeout."
          + " Default: ${DEFAULT-VALUE}.")
  Duration idleTimeout;

  @Option(names = "--header-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "A request's line and headers must arrive within this long, or the connection is closed."
          + " Env: PARTY_HEADER_TIMEOUT. File: http.header-timeout. Default: ${DEFAULT-VALUE}.")
  Duration headerTimeout;

  @Option(names = "--min-body-rate", paramLabel = "BYTES", defaultValue = "1024",
      description = "Bytes per second a request body must arrive at after --body-grace, or 408 request_timeout; 0: off."
          + " Env: PARTY_MIN_BODY_RATE. File: http.min-body-rate. Default: ${DEFAULT-VALUE}.")
  int minBodyRate;

  @Option(names = "--body-grace", paramLabel = "DURATION", defaultValue = "5s",
      description = "How long a body may come slower than --min-body-rate. Env: PARTY_BODY_GRACE. File: http.body-grace."
          + " Default: ${DEFAULT-VALUE}.")
  Duration bodyGrace;

  @Option(names = "--retry-after", paramLabel = "DURATION", defaultValue = "1s",
      description = "Retry-After of queue_full, busy and store_unavailable answers. Env: PARTY_RETRY_AFTER."
          + " File: http.retry-after. Default: ${DEFAULT-VALUE}.")
  Duration retryAfter;

  @Option(names = "--dashboard-login", paramLabel = "DURATION", defaultValue = "8 hours",
      description = "How long a dashboard log-in lasts. Env: PARTY_DASHBOARD_LOGIN. File: http.dashboard-login."
          + " Default: ${DEFAULT-VALUE}.")
  Duration dashboardLogin;

  @Option(names = "--processes", paramLabel = "N",
      description = "Run the handlers in N worker processes (child JVMs, as `party worker --processes N`) under a"
          + " supervisor in this process, which only serves the API and the dashboard. Env: PARTY_PROCESSES."
          + " File: workers.processes. Default: handlers run in this JVM.")
  Integer processes;

  @Spec CommandSpec spec;

  @Option(names = "--token-file", paramLabel = "PATH",
      description = "API tokens, one per line: SCOPES TOKEN, scopes read, enqueue or admin, comma separated. "
          + "Env: PARTY_TOKEN_FILE. File: auth.token-file. PARTY_API_TOKEN adds one admin token.")
  Path tokenFile;

  @Override
  public Integer call() throws Exception {
    boolean noWorkers = Integer.valueOf(0).equals(engine.workers);
    if (processes != null && (processes < 1 || processes > 1024)) {
      throw new ConfigException("--processes %d: give a number of worker processes from 1 to 1024".formatted(processes));
    }
    if (noWorkers && processes != null) {
      throw new ConfigException("--workers 0 with --processes %d: --workers is each process's worker count; give at least 1,"
          .formatted(processes) + " or leave it out");
    }
    if (noWorkers) engine.workers = null; // no engine starts here; the builder's default only passes validation
    boolean apiOnly = noWorkers || processes != null;
    ServerConfig config = checked(); // before the store opens: a bad flag or file changes nothing
    ConfigFile file = store.configFile();
    NamedDataSources dataSources = NamedDataSources.open(file.dataSources(), store.env());
    TaskStore tasks;
    try {
      tasks = store.open();
    } catch (RuntimeException e) {
      dataSources.close();
      throw e;
    }
    var metrics = new PartyMetrics();
    Party party;
    try {
      party = dataSources.applyTo(engine.applyTo(store.handlers(Party.builder(tasks)), file, cleanup)).listener(metrics).build();
    } catch (RuntimeException e) { // a broken jar in the tasks folder, two handlers with one name...
      tasks.close();
      dataSources.close();
      throw e;
    }
    // The worker name, then the listeners, then the engine: a name in use is refused before the
    // port opens, and a taken port or socket path before the engine starts, so neither leaves a
    // worker in the registry. Requests that come in meanwhile wait for nothing but the engine.
    PartyServer server;
    try {
      file.checkHandlers(party.handlerNames());
      if (!apiOnly) party.lockWorkerName();
      server = PartyServer.start(config, party, metrics);
    } catch (WorkerNameInUseException e) {
      closeAll(null, party, tasks, dataSources);
      System.err.printf("party: %s%n", e.getMessage());
      return Main.EXIT_ALREADY_RUNNING;
    } catch (RuntimeException e) {
      closeAll(null, party, tasks, dataSources);
      throw e;
    }
    Optional<WorkerNameLock> supervisorLock = Optional.empty();
    Supervisor supervisor = null;
    try {
      if (apiOnly) party.startWithoutWorkers();
      else party.start();
      if (processes != null) {
        String name = ChildCommand.supervisorName(engine.name);
        supervisorLock = tasks.lockWorkerName(name);
        if (supervisorLock.isEmpty()) throw new WorkerNameInUseException(name);
        supervisor = WorkerProcesses.supervisor(tasks, name, ChildCommand.names(engine.name, engine.index, processes),
            spec.commandLine().getParseResult(), false);
      }
    } catch (WorkerNameInUseException e) {
      closeAll(server, party, tasks, dataSources);
      System.err.printf("party: %s%n", e.getMessage());
      return Main.EXIT_ALREADY_RUNNING;
    } catch (RuntimeException e) {
      supervisorLock.ifPresent(WorkerNameLock::close);
      closeAll(server, party, tasks, dataSources);
      throw e;
    }
    Supervisor children = supervisor;
    Optional<WorkerNameLock> childrenLock = supervisorLock;
    Thread supervising = children == null ? null : Thread.ofPlatform().name("party-supervisor").start(() -> {
      try {
        children.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping: no new requests; finishing running tasks");
      try {
        server.close();
        if (children != null) stopChildren(children, supervising);
        party.close();
      } finally {
        childrenLock.ifPresent(WorkerNameLock::close);
        tasks.close();
        dataSources.close(); // after the Party: running handlers may still use them
      }
      log.info("stopped; peak resident memory {}", PeakMemory.describe());
      stopped.countDown();
    }, "party-shutdown"));
    String workers = processes != null ? processes + " worker processes"
        : noWorkers ? "no workers (handlers run in party worker processes)" : EngineOptions.describeWorkers(party.config());
    log.info("party server {} on {}: {}, store {}, handlers {}", engine.workerId(), server.describe(),
        workers, store.describe(), party.handlerNames().stream().sorted().toList());
    if (server.uri() != null) log.info("dashboard: {}/dashboard", server.uri());
    stopped.await();
    return 0;
  }

  /** Stops the worker processes within the grace period (then kills them), and the thread supervising them. */
  private void stopChildren(Supervisor children, Thread supervising) {
    try {
      children.stop(engine.grace.plus(WorkerCommand.STOP_MARGIN));
      supervising.join(WorkerCommand.STOP_MARGIN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** After a refused start: the listeners (if bound), then the engine, the store and the data sources. */
  private static void closeAll(PartyServer server, Party party, TaskStore tasks, NamedDataSources dataSources) {
    try {
      if (server != null) server.close();
      party.close();
    } finally {
      tasks.close();
      dataSources.close();
    }
  }

  /**
   * The HTTP settings, with the file, the engine and the cleanup settings checked.
   *
   * @throws dev.party.error.ConfigException listing what is wrong
   */
  ServerConfig checked() throws IOException {
    ServerConfig config = ServerConfig.defaults()
        .host(host)
        .port(tcp ? port : ServerConfig.NO_TCP)
        .unixSocket(socket)
        .maxBodyBytes(maxBody)
        .maxTasksPerPost(maxTasksPerPost)
        .maxInFlight(maxInFlight)
        .maxQueueWait(queueWait)
        .maxTasksInFlight(maxTasksInFlight)
        .enqueueTimeout(enqueueTimeout)
        .drainTimeout(drainTimeout)
        .idleTimeout(idleTimeout)
        .headerTimeout(headerTimeout)
        .minBodyRate(minBodyRate)
        .bodyGrace(bodyGrace)
        .retryAfter(retryAfter)
        .dashboardLogin(dashboardLogin)
        .tokens(tokens());
    config.validate();
    engine.check(store.configFile());
    cleanup.config();
    return config;
  }

  private List<ApiToken> tokens() throws IOException {
    List<ApiToken> tokens = new ArrayList<>();
    String single = store.env().get("PARTY_API_TOKEN");
    if (single != null && !single.isBlank()) tokens.add(token(single.strip(), Set.of(ApiToken.Scope.ADMIN), "PARTY_API_TOKEN"));
    if (tokenFile != null) tokens.addAll(TokenFile.read(tokenFile));
    return tokens;
  }

  static ApiToken token(String token, Set<ApiToken.Scope> scopes, String where) {
    try {
      return new ApiToken(token, scopes);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }
}
