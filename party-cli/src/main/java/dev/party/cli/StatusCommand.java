package dev.party.cli;

import dev.party.store.CleanupRecord;
import dev.party.store.StoreStatus;
import dev.party.store.TaskStore;
import dev.party.task.TaskState;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;

@Command(name = "status", description = "Counts tasks by state, and pending and failed ones by handler.",
    mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    StoreStatus status;
    Optional<CleanupRecord> cleanup;
    try (TaskStore tasks = store.open()) {
      status = tasks.status();
      cleanup = tasks.lastCleanup();
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
    out.println(cleanup.map(c -> "last cleanup: %s, removed %d finished and %d failed or cancelled (in total %d and %d)"
        .formatted(c.lastRunAt(), c.lastCompleted(), c.lastFailed(), c.totalCompleted(), c.totalFailed()))
        .orElse("last cleanup: never"));
    return 0;
  }
}
