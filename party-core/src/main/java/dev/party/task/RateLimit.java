package dev.party.task;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code starts} claims (starts of a run, retries included) per {@code window}. Windows are
 * fixed and aligned to the Unix epoch on the store's clock: a window of one second runs from each
 * whole second to the next, one of a minute from each whole minute. Within each window the cap is
 * exact across all nodes; two windows side by side may together hold up to twice {@code starts}.
 *
 * @param starts at least 1
 * @param window positive, a whole number of milliseconds
 */
public record RateLimit(int starts, Duration window) {
  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (starts < 1) {
      throw new IllegalArgumentException("a rate limit needs at least 1 start per window, not " + starts);
    }
    if (window.isNegative() || window.isZero() || window.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "the window of a rate limit must be a positive whole number of milliseconds, not " + window);
    }
  }

  @Override
  public String toString() {
    return starts + " per " + window;
  }
}
