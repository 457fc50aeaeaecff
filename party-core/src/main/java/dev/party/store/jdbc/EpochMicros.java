package dev.party.store.jdbc;

import java.time.Duration;
import java.time.Instant;

/**
 * Task run times as integer microseconds since the epoch: exact for every time Party accepts
 * (years 1 to 9999, down to the microsecond), which epoch milliseconds were not. Anything finer
 * that reaches a store (a handler's retry time from a nanosecond clock) is cut to the microsecond.
 */
public final class EpochMicros {
  private static final long PER_SECOND = 1_000_000L;

  private EpochMicros() {}

  public static long of(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), PER_SECOND), instant.getNano() / 1_000);
  }

  public static long of(Duration duration) {
    return Math.addExact(Math.multiplyExact(duration.getSeconds(), PER_SECOND), duration.getNano() / 1_000);
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, PER_SECOND), Math.floorMod(micros, PER_SECOND) * 1_000L);
  }
}
