package dev.party.testkit;

import dev.party.PartyClock;
import java.time.Duration;
import java.time.Instant;

/** A clock that stands still until a test moves it; it pins the store's clock too. Thread-safe. */
public final class MutableClock implements PartyClock {
  private Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** Starts at a fixed, whole-second instant so that runs are repeatable. */
  public static MutableClock atEpochSecond(long seconds) {
    return new MutableClock(Instant.ofEpochSecond(seconds));
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public Instant pinned() {
    return instant();
  }

  public synchronized Instant advance(Duration duration) {
    now = now.plus(duration);
    return now;
  }

  public synchronized void set(Instant instant) {
    now = instant;
  }
}
