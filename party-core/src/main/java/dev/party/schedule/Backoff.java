package dev.party.schedule;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a failed task waits before its next attempt: {@code base × factor^(attempts-1)}, capped
 * at {@code max}, then spread by ±{@code jitter} (a fraction) so that many tasks failing together
 * do not retry together.
 */
public record Backoff(Duration base, double factor, Duration max, double jitter) {

  /** 1 s, 4 s, 16 s, 64 s, 256 s …, at most 1 hour, ±20%. Six attempts span about six minutes. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), 4, Duration.ofHours(1), 0.2);

  public Backoff {
    if (base.isNegative()) throw new IllegalArgumentException("backoff base must not be negative");
    if (factor < 1) throw new IllegalArgumentException("backoff factor must be at least 1");
    if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("backoff jitter must be in [0, 1)");
  }

  /** The same delay every time, without jitter. */
  public static Backoff fixed(Duration delay) {
    return new Backoff(delay, 1, delay, 0);
  }

  /** The delay after the given number of attempts (1 after the first failed run). */
  public Duration delay(int attempts, RandomGenerator random) {
    double millis = base.toMillis() * Math.pow(factor, Math.max(0, attempts - 1));
    millis = Math.min(millis, max.toMillis());
    if (jitter > 0) millis *= 1 + jitter * (2 * random.nextDouble() - 1);
    return Duration.ofMillis(Math.round(millis));
  }
}
