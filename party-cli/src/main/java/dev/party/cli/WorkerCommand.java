package dev.party.cli;

import dev.party.Party;
import dev.party.error.WorkerNameInUseException;
import dev.party.store.TaskStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs tasks until SIGTERM (or, with --drain, until no due task remains).",
      "On SIGTERM it stops claiming, lets running tasks finish within --grace, and returns the rest",
      "to the queue without counting an attempt."
    })
final class WorkerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

  @Mixin StoreOptions store;

  @Mixin EngineOptions engine;

  @Option(names = "--drain", description = "Exit once no due task remains.")
  boolean drain;

  @Override
  public Integer call() throws Exception {
    String workerId = engine.workerId();
    ConfigFile config = engine.configFile(); // before the store opens: a bad file changes nothing
    TaskStore tasks = store.open();
    Party party;
    try {
      party = engine.applyTo(Handlers.registerAll(Party.builder(tasks), engine.tasksDir), config).build();
      config.checkHandlers(party.handlerNames());
    } catch (RuntimeException e) { // a broken jar in the tasks folder, two handlers with one name...
      tasks.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("stopping: finishing running tasks");
      stop(party, tasks);
      log.info("stopped; peak resident memory {}", PeakMemory.describe());
      stopped.countDown();
    }, "party-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (drain) party.startDraining();
      else party.start();
    } catch (WorkerNameInUseException e) {
      System.err.printf("party: %s%n", e.getMessage());
      return Main.EXIT_ALREADY_RUNNING;
    }
    log.info("worker {} started: {}, store {}", workerId, EngineOptions.describeWorkers(party.config()), store.db);
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
    stop(party, tasks);
    log.info("no due tasks left; stopped after {} ms, peak resident memory {}",
        (System.nanoTime() - start) / 1_000_000, PeakMemory.describe());
    return 0;
  }

  /** Closes the engine first (running tasks finish or go back), then the store; safe to call twice. */
  private static void stop(Party party, TaskStore tasks) {
    try {
      party.close();
    } finally {
      tasks.close();
    }
  }
}
