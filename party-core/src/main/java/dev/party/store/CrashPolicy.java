package dev.party.store;

import dev.party.task.TaskState;

/**
 * What becomes of a run taken back from a worker that died or hung under it (a lost lease), for
 * every store: written once here, applied by each store's release of lost runs.
 *
 * <p>The run's task becomes a suspect: its crash count goes up by one. When the worker was running
 * other tasks too, nothing says which one killed it, so the attempt is not counted and the task
 * runs alone next (a claim takes a suspect only for an idle node, and nothing beside it); the next
 * crash is then blamed on exactly one task. A task that crashes its worker while running alone has
 * its attempt counted, and reaching {@code maxCrashes} it is quarantined: FAILED, not retried, with
 * the worker's exit code when its supervisor recorded one. A suspect that finishes is cleared.
 */
public final class CrashPolicy {
  /** Crashes after which a task is quarantined. */
  public static final int DEFAULT_MAX_CRASHES = 3;

  private CrashPolicy() {}

  /** A lost run as stored: the task's attempts (this run's included) and crashes before this one. */
  public record LostRun(int attempts, int maxAttempts, int crashes) {}

  /** The task afterwards: its state, attempts, crash count and error. */
  public record Verdict(TaskState state, int attempts, int crashes, String error) {}

  /**
   * @param running how many tasks the worker was running when it was lost, this one included
   * @param exitCode the dead worker process's exit code, or null when unknown
   * @param reason how the run was lost, e.g. "worker host-1 restarted"
   */
  public static Verdict judge(LostRun run, int running, Integer exitCode, String reason, int maxCrashes) {
    int crashes = run.crashes() + 1;
    String exit = exitCode == null ? "" : " (exit code " + exitCode + ")";
    boolean alone = running <= 1;
    // A shared crash proves nothing; suspects run alone, so only a run-now beside others repeats it.
    if (alone ? crashes >= maxCrashes : crashes > maxCrashes) {
      return new Verdict(TaskState.FAILED, run.attempts(), crashes,
          "crashed its worker %d times%s: quarantined, not retried (last: %s)".formatted(crashes, exit, reason));
    }
    if (!alone) {
      return new Verdict(TaskState.PENDING, run.attempts() - 1, crashes,
          ("%s%s while running %d tasks; which one crashed it is unknown, so the attempt is not counted and this"
              + " task runs alone next (crash %d of %d)").formatted(reason, exit, running, crashes, maxCrashes));
    }
    if (run.attempts() >= run.maxAttempts()) {
      return new Verdict(TaskState.FAILED, run.attempts(), crashes,
          "%s%s; out of attempts (%d of %d)".formatted(reason, exit, run.attempts(), run.maxAttempts()));
    }
    return new Verdict(TaskState.PENDING, run.attempts(), crashes,
        "%s%s (crash %d of %d)".formatted(reason, exit, crashes, maxCrashes));
  }
}
