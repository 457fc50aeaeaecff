package dev.party;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Party's clock. In production it is the system clock and {@link #pinned()} is null, so stores
 * compare due times and leases with the database's own clock; a test clock pins both.
 */
public interface PartyClock extends InstantSource {

  /** The instant to hand to the store, or null to let the store use its own clock. */
  Instant pinned();

  static PartyClock system() {
    return SystemClock.INSTANCE;
  }

  /** The system clock: stateless, so one shared instance is safe. */
  enum SystemClock implements PartyClock {
    INSTANCE;

    @Override
    public Instant instant() {
      return InstantSource.system().instant();
    }

    @Override
    public Instant pinned() {
      return null;
    }
  }
}
