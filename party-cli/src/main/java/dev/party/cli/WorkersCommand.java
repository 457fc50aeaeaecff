package dev.party.cli;

import dev.party.store.TaskStore;
import dev.party.store.WorkerView;
import dev.party.task.TaskId;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "workers", mixinStandardHelpOptions = true,
    description = {"Lists the worker registry: live workers with their running tasks, dead ones (missed 3",
        "heartbeats without a clean stop) and stopped ones, for a day after their last heartbeat."})
final class WorkersCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<WorkerView> workers;
    try (TaskStore tasks = store.open()) {
      workers = tasks.workers(null);
    }
    print(spec.commandLine().getOut(), workers);
    return 0;
  }

  static void print(PrintWriter out, List<WorkerView> workers) {
    if (workers.isEmpty()) {
      out.println("no workers registered in the last day");
      return;
    }
    out.printf("%-28s %-7s %-20s %8s %5s %-24s %7s  %s%n",
        "NAME", "STATE", "HOST", "PID", "SLOTS", "LAST HEARTBEAT", "RUNNING", "QUEUES");
    for (WorkerView worker : workers) {
      out.printf("%-28s %-7s %-20s %8d %5d %-24s %7d  %s%n", worker.name(),
          worker.state().name().toLowerCase(Locale.ROOT), worker.host(), worker.pid(), worker.slots(),
          worker.lastHeartbeat(), worker.running().size(),
          worker.queues().isEmpty() ? "(all)" : String.join(",", worker.queues()));
      if (!worker.running().isEmpty()) {
        out.printf("    running: %s%n", worker.running().stream().map(TaskId::value).collect(Collectors.joining(" ")));
      }
    }
    out.println(summary(workers));
  }

  /** For example {@code 2 live, 1 dead, 0 stopped}. */
  static String summary(List<WorkerView> workers) {
    return "%d live, %d dead, %d stopped".formatted(count(workers, WorkerView.State.LIVE),
        count(workers, WorkerView.State.DEAD), count(workers, WorkerView.State.STOPPED));
  }

  private static long count(List<WorkerView> workers, WorkerView.State state) {
    return workers.stream().filter(worker -> worker.state() == state).count();
  }
}
