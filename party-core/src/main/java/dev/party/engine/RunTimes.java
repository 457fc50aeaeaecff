package dev.party.engine;

/**
 * A moving average of how long runs take, to decide whether claiming ahead is safe: a claimed task
 * waiting behind short runs starts within milliseconds, but one waiting behind long runs would be
 * held from idle workers on other nodes.
 */
final class RunTimes {
  /** Below this average, the dispatcher claims up to {@link Dispatcher#CLAIM_AHEAD} extra tasks per worker. */
  static final long SHORT_RUN_NANOS = 50_000_000L;
  private static final double WEIGHT = 0.05;

  private volatile double averageNanos = Double.NaN;

  void record(long nanos) {
    double current = averageNanos;
    averageNanos = Double.isNaN(current) ? nanos : current + WEIGHT * (nanos - current);
  }

  /** False until runs were seen: nothing is claimed ahead for a handler mix not yet measured. */
  boolean short_() {
    double current = averageNanos;
    return !Double.isNaN(current) && current < SHORT_RUN_NANOS;
  }
}
