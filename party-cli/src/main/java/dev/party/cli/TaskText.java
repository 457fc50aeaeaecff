package dev.party.cli;

import dev.party.task.TaskLogEntry;
import dev.party.task.TaskView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** How tasks look in a terminal. */
final class TaskText {
  private TaskText() {}

  static void printRow(PrintWriter out, TaskView task, Instant now) {
    out.printf("%-24s  %-20s  %-9s  %3d/%-3d  %s%n", task.id(), task.handler(), task.displayState(now),
        task.attempts(), task.maxAttempts(), runAt(task));
  }

  /** A waiting chain step or callback has no time of its own until the tasks before it end. */
  private static String runAt(TaskView task) {
    return task.waiting() ? "after the tasks before it" : String.valueOf(task.runAt());
  }

  static void printHeader(PrintWriter out) {
    out.printf("%-24s  %-20s  %-9s  %-7s  %s%n", "ID", "HANDLER", "STATE", "ATTEMPT", "RUN AT");
  }

  static void printTask(PrintWriter out, TaskView task, List<TaskLogEntry> log, Instant now) {
    field(out, "id", task.id().value());
    field(out, "handler", task.handler());
    if (task.instanceKey() != null) field(out, "instance", task.instanceKey());
    if (task.singletonKey() != null) field(out, "singleton", task.singletonKey());
    if (task.limitKey() != null) field(out, "limit key", task.limitKey());
    if (task.batchKey() != null) field(out, "batch key", task.batchKey());
    field(out, "state", task.displayState(now));
    field(out, "queue", task.queue() + " (priority " + task.priority() + ")");
    field(out, "data", task.data());
    field(out, "run at", runAt(task));
    field(out, "created at", String.valueOf(task.createdAt()));
    field(out, "attempts", task.attempts() + " of " + task.maxAttempts());
    if (task.lastRunOn() != null) field(out, "last run on", task.lastRunOn().toString());
    field(out, "progress", task.progress() + "%");
    if (task.leaseOwner() != null) field(out, "lease", task.leaseOwner() + " until " + task.leaseExpiresAt());
    if (task.finishedAt() != null) field(out, "finished at", task.finishedAt().toString());
    if (task.result() != null) field(out, "result", task.result());
    if (task.error() != null) field(out, "error", task.error().strip().replace("\n", "\n" + " ".repeat(13)));
    if (task.continues() != null) field(out, "continues", task.continues().value());
    if (task.continuedBy() != null) field(out, "continued by", task.continuedBy().value());
    if (task.lastStep() != null) field(out, "last step", task.lastStep().id() + " (" + task.lastStep().displayState(now) + ")");
    out.println("log:");
    for (TaskLogEntry entry : log) {
      out.printf("  %-24s  %-9s -> %-9s  %-16s  %s%n", entry.at(),
          entry.from() == null ? "-" : entry.from(), entry.to(),
          entry.worker() == null ? "" : entry.worker(), entry.message() == null ? "" : entry.message());
    }
  }

  private static void field(PrintWriter out, String name, String value) {
    out.printf("%-12s %s%n", name, value);
  }
}
