package dev.party.cli;

import dev.party.store.CleanupRecord;
import dev.party.store.StoreStatus;
import dev.party.store.TaskStore;
import dev.party.store.WorkerView;
import dev.party.task.TaskState;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Counts tasks by state, pending and failed ones by handler, and workers by state.",
    mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    StoreStatus status;
    List<WorkerView> workers;
    Optional<CleanupRecord> cleanup;
    long restarted;
    try (TaskStore tasks = store.open()) {
      status = tasks.status();
      workers = tasks.workers(null);
      cleanup = tasks.lastCleanup();
      restarted = tasks.restartedWorkers();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print("tasks:");
    for (TaskState state : TaskState.values()) {
      out.printf("  %s %d", state, status.states().getOrDefault(state, 0L));
    }
    out.println();
    out.println("pending by handler:");
    for (StoreStatus.HandlerCount count : status.pending()) {
      out.printf("  %-24s %8d  next %s%n", count.handler(), count.count(), count.upcoming());
    }
    out.println("failed by handler:");
    for (StoreStatus.HandlerCount count : status.failed()) {
      out.printf("  %-24s %8d%n", count.handler(), count.count());
    }
    out.println("workers: " + WorkersCommand.summary(workers) + " (party workers lists them)");
    out.println(cleanup.map(c -> "last cleanup: %s, removed %d finished and %d failed or cancelled (in total %d and %d)"
        .formatted(c.lastRunAt(), c.lastCompleted(), c.lastFailed(), c.totalCompleted(), c.totalFailed()))
        .orElse("last cleanup: never"));
    out.printf("restarted workers: %d%n", restarted);
    return 0;
  }
}
