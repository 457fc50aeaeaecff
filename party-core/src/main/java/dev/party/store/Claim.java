package dev.party.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Claims at most {@code limit} due PENDING tasks for {@code owner}, in pick-up order (priority
 * desc, runAt, attempts, createdAt): each becomes RUNNING with one more attempt, a new lease token
 * and a lease until now + {@code lease}.
 *
 * <p>Singleton keys ({@link NewTask#singletonKey}): a claim never starts a task while another with
 * its key is RUNNING, nor two with one key at once; such a task stays PENDING with its attempts
 * untouched (WAIT), or, when due, is finished here as skipped (SKIP) with a log line saying why.
 * Stores guarantee this across nodes, not only across threads.
 *
 * <p>Limits ({@code limits}): a claim never starts a task of a limited handler while its limit key
 * has {@link Limits#concurrency} tasks RUNNING, nor past {@link Limits#rate} starts in the current
 * window; such a task stays PENDING with its attempts untouched, and other tasks are claimed
 * around it. Stores guarantee this across nodes too. Tasks of limited handlers are claimed before
 * the others, so that a backlog of unlimited work never starves them.
 *
 * @param handlers only tasks of these handlers (the ones this node can run)
 * @param queues only tasks in these queues; null for every queue
 * @param now a pinned clock for tests, or null for the store's own clock
 * <p>Suspects (tasks taken back from a worker that died under them, see {@link CrashPolicy}): a
 * claim takes one only when {@code idle}, and then that one alone, before any other task, so that
 * if it crashes its worker again no other task is blamed. A claim that is not idle passes them over.
 *
 * @param limits the limits of the handlers among {@code handlers} that have any, by handler name;
 *     empty for none. No default constructor leaves it out: a claim that forgot it would start
 *     limited tasks past their limits
 * @param idle the claiming node runs nothing now, so it may take a suspect (alone)
 */
public record Claim(
    String owner, Set<String> handlers, Set<String> queues, int limit, Duration lease, Instant now,
    Map<String, Limits> limits, boolean idle) {
  public Claim {
    limits = Map.copyOf(Objects.requireNonNull(limits, "limits"));
  }

  /** A claim of a node that runs nothing else now (tools and tests): it may take a suspect. */
  public Claim(String owner, Set<String> handlers, Set<String> queues, int limit, Duration lease, Instant now,
      Map<String, Limits> limits) {
    this(owner, handlers, queues, limit, lease, now, limits, true);
  }

  /** The same claim, idle or not. */
  public Claim idle(boolean value) {
    return new Claim(owner, handlers, queues, limit, lease, now, limits, value);
  }
}
