package dev.party.store;

import java.time.Duration;

/**
 * An insert that a client may send again (a retry after a timeout): stored at most once per key.
 *
 * @param insert the tasks, as for {@link TaskStore#insert(InsertTasks)}
 * @param key the client's idempotency key; unique across the store for as long as it is kept
 *     ({@link #KEPT}). Null only in a plain insert ({@link #InsertOnce(InsertTasks)})
 * @param fingerprint what identifies the request's content (a hash of the body): a key sent again
 *     with another fingerprint is refused as a conflict
 */
public record InsertOnce(InsertTasks insert, String key, String fingerprint) {
  /** How long a key is kept after its insert: the cleanup removes older ones. */
  public static final Duration KEPT = Duration.ofHours(24);

  /** Longest key accepted, in characters. */
  public static final int MAX_KEY_LENGTH = 255;

  public InsertOnce {
    if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
      throw new IllegalArgumentException("an idempotency key is 1 to " + MAX_KEY_LENGTH + " characters");
    }
    if (key != null && fingerprint == null) throw new IllegalArgumentException("an idempotency key needs a fingerprint");
  }

  /** A plain insert, without key: stores share one path for both. */
  public InsertOnce(InsertTasks insert) {
    this(insert, null, null);
  }
}
