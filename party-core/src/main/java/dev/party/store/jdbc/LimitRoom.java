package dev.party.store.jdbc;

import dev.party.store.Limits;
import dev.party.task.RateLimit;

/**
 * How many more tasks of one limit key a claim may start, from what the store read under the key's
 * lock. Rate windows are fixed and aligned to the epoch; each key keeps one counter row: the start
 * of the window it counts and the starts in it.
 */
public final class LimitRoom {
  private LimitRoom() {}

  /** The start, in epoch milliseconds, of the window of {@code rate} that holds {@code nowMillis}. */
  public static long windowStart(RateLimit rate, long nowMillis) {
    long window = rate.window().toMillis();
    return Math.floorDiv(nowMillis, window) * window;
  }

  /**
   * @param running the key's RUNNING tasks
   * @param counted the window start of the key's counter row; null when it has none
   * @param starts the starts that row counts
   * @return at most {@code wanted}; 0 when a limit is reached
   */
  public static int room(Limits limits, int wanted, long running, Long counted, long starts, long nowMillis) {
    long room = Math.min(wanted, (long) limits.concurrencyOrMax() - running);
    if (limits.rate() != null) room = Math.min(room, limits.rate().starts() - used(limits.rate(), counted, starts, nowMillis));
    return (int) Math.max(0, room);
  }

  /** Starts already counted in the current window. A row from a later window (a clock set back) counts as full. */
  private static long used(RateLimit rate, Long counted, long starts, long nowMillis) {
    if (counted == null) return 0;
    long current = windowStart(rate, nowMillis);
    if (counted == current) return starts;
    return counted > current ? rate.starts() : 0;
  }

  /** Why a run-now of a task was refused, for its conflict message. */
  public static String reason(Limits limits, long running, String handler, String key) {
    String of = key.isEmpty() ? "'" + handler + "'" : "'%s' with limit key '%s'".formatted(handler, key);
    if (running >= limits.concurrencyOrMax()) {
      return "the concurrency limit of %d RUNNING tasks of %s is reached".formatted(limits.concurrency(), of);
    }
    return "the rate limit of %s for %s is reached in the current window".formatted(limits.rate(), of);
  }
}
