package dev.party.cli;

import java.time.Duration;

/**
 * How long the supervisor waits before it restarts a worker process: {@code initial} after the
 * first failure in a row, doubling up to {@code max}. A process that stayed up {@code stableAfter}
 * or longer starts the row again, so a worker that crashes once a day is back in a second, and one
 * that dies at once is retried ever more slowly, never in a tight loop.
 *
 * @param initial the first delay. Default: 1 s
 * @param max the longest delay. Default: 60 s
 * @param stableAfter an uptime that resets the row. Default: 60 s
 */
record RestartBackoff(Duration initial, Duration max, Duration stableAfter) {
  static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
  static final Duration DEFAULT_MAX = Duration.ofSeconds(60);
  static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(60);

  RestartBackoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial (%s) <= max (%s)".formatted(initial, max));
    }
  }

  static RestartBackoff defaults() {
    return new RestartBackoff(DEFAULT_INITIAL, DEFAULT_MAX, DEFAULT_STABLE_AFTER);
  }

  /** The failures in a row, counting this one: 1 after a process that had been up long enough. */
  int failuresInARow(int before, Duration uptime) {
    return uptime.compareTo(stableAfter) >= 0 ? 1 : before + 1;
  }

  /** The wait before restart number {@code failuresInARow} (1 or more) of one process. */
  Duration delay(int failuresInARow) {
    Duration delay = initial;
    for (int i = 1; i < failuresInARow && delay.compareTo(max) < 0; i++) delay = delay.multipliedBy(2);
    return delay.compareTo(max) > 0 ? max : delay;
  }
}
