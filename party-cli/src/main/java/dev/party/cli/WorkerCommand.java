package dev.party.cli;

import dev.party.Party;
import dev.party.error.ConfigException;
import dev.party.error.WorkerNameInUseException;
import dev.party.store.TaskStore;
import dev.party.store.WorkerNameLock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs tasks until SIGTERM (or, with --drain, until no due task remains).",
      "On SIGTERM it stops claiming, lets running tasks finish within --grace, and returns the rest",
      "to the queue without counting an attempt.",
      "With --processes N it supervises N worker processes instead: see docs/operations.md."
    })
final class WorkerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  @Mixin StoreOptions store;

  @Mixin EngineOptions engine;

  @Mixin CleanupOptions cleanup;

  @Option(names = "--drain", description = "Exit once no due task remains.")
  boolean drain;

  @Option(names = "--processes", paramLabel = "N",
      description = "Run N worker processes (child JVMs named NAME-i or hostname-i, i from --index) under this"
          + " supervisor, which restarts any that exits or is killed, with backoff, and counts it as restarted_workers."
          + " SIGTERM stops them all within --grace. Env: PARTY_PROCESSES. File: workers.processes.")
  Integer processes;

  @Option(names = "--parent-pid", hidden = true,
      description = "Set by the supervisor: stop when the process with this pid is gone.")
  Long parentPid;

  @Spec CommandSpec spec;

  /** How long the supervisor waits, past --grace, for its processes to stop before it kills them. */
  static final Duration STOP_MARGIN = Duration.ofSeconds(5);

  @Override
  public Integer call() throws Exception {
    // A worker process never supervises, even when the file or environment it shares with its supervisor says processes.
    if (processes != null && parentPid == null) return supervise();
    String workerId = engine.workerId();
    ConfigFile config = engine.check(store.configFile()); // before the store opens: a bad file changes nothing
    cleanup.config();
    NamedDataSources dataSources = NamedDataSources.open(config.dataSources(), store.env());
    TaskStore tasks;
    Party party;
    try {
      tasks = store.open();
    } catch (RuntimeException e) {
      dataSources.close();
      throw e;
    }
    try {
      party = dataSources.applyTo(engine.applyTo(store.handlers(Party.builder(tasks)), config, cleanup)).build();
      config.checkHandlers(party.handlerNames());
    } catch (RuntimeException e) { // a broken jar in the tasks folder, two handlers with one name...
      stop(null, tasks, dataSources);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("stopping: finishing running tasks");
      stop(party, tasks, dataSources);
      log.info("stopped; peak resident memory {}", PeakMemory.describe());
      stopped.countDown();
    }, "party-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (drain) party.startDraining();
      else party.start();
    } catch (WorkerNameInUseException e) {
      // Nothing ran: stop without the hook, whose "stopping ... stopped" would say otherwise.
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
        stop(party, tasks, dataSources);
      } catch (IllegalStateException shuttingDown) {
        // SIGTERM came meanwhile: the hook stops it.
      }
      System.err.printf("party: %s%n", e.getMessage());
      return Main.EXIT_ALREADY_RUNNING;
    }
    log.info("worker {} started: {}, store {}", workerId, EngineOptions.describeWorkers(party.config()), store.describe());
    if (parentPid != null) stopWhenGone(parentPid);
    if (!drain) {
      stopped.await(); // until SIGTERM; the hook stops the engine
      return 0;
    }
    long start = System.nanoTime();
    party.awaitDrained(Duration.ofDays(365));
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      stopped.await(); // SIGTERM arrived meanwhile: the hook is stopping the engine
      return 0;
    }
    stop(party, tasks, dataSources);
    log.info("no due tasks left; stopped after {} ms, peak resident memory {}",
        (System.nanoTime() - start) / 1_000_000, PeakMemory.describe());
    return 0;
  }

  /**
   * Closes the engine first (running tasks finish or go back), then the store and the data sources
   * the handlers used; safe to call twice.
   */
  private static void stop(Party party, TaskStore tasks, NamedDataSources dataSources) {
    try {
      if (party != null) party.close();
    } finally {
      try {
        tasks.close();
      } finally {
        dataSources.close();
      }
    }
  }

  /**
   * A worker process started by a supervisor stops (gracefully, through its shutdown hook) when the
   * supervisor is gone, even when it was killed with SIGKILL, so no worker is left behind holding its
   * name.
   */
  private static void stopWhenGone(long supervisorPid) {
    Optional<ProcessHandle> supervisor = ProcessHandle.of(supervisorPid);
    Runnable exit = () -> {
      log.warn("supervisor (pid {}) is gone; stopping", supervisorPid);
      Thread.ofPlatform().name("party-orphan-exit").start(() -> System.exit(Main.EXIT_FAILURE));
    };
    if (supervisor.isPresent()) supervisor.get().onExit().thenRun(exit);
    else exit.run();
  }

  /** {@code --processes N}: this process only supervises; see {@link Supervisor}. */
  private int supervise() throws Exception {
    if (processes < 1 || processes > 1024) {
      throw new ConfigException("--processes %d: give a number of worker processes from 1 to 1024".formatted(processes));
    }
    String name = ChildCommand.supervisorName(engine.name);
    List<String> names = ChildCommand.names(engine.name, engine.index, processes);
    ConfigFile config = engine.check(store.configFile()); // a bad file or flag fails here, once, not in every child
    cleanup.config();
    NamedDataSources.open(config.dataSources(), store.env()).close(); // an unset password variable, a URL with no driver
    TaskStore tasks = store.open();
    Optional<WorkerNameLock> lock;
    try {
      Party party = engine.applyTo(store.handlers(Party.builder(tasks)), config, cleanup).build();
      config.checkHandlers(party.handlerNames());
      party.close(); // never started: it only checked the flags and the file
      lock = tasks.lockWorkerName(name);
    } catch (RuntimeException e) {
      tasks.close();
      throw e;
    }
    if (lock.isEmpty()) {
      tasks.close();
      System.err.printf("party: supervisor %s is already running%n", name);
      return Main.EXIT_ALREADY_RUNNING;
    }
    Supervisor supervisor = WorkerProcesses.supervisor(tasks, name, names, spec.commandLine().getParseResult(), drain);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("stopping the {} worker processes", names.size());
      try {
        supervisor.stop(engine.grace.plus(STOP_MARGIN));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.get().close();
        tasks.close();
        stopped.countDown();
      }
      log.info("stopped");
    }, "party-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    log.info("supervisor {} starting {} worker processes: {}", name, names.size(), names);
    supervisor.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      stopped.await(); // SIGTERM: the hook stops the processes
      return 0;
    }
    hook.run(); // drained: every process exited 0
    return 0;
  }
}
