package dev.party.task;

import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import dev.party.store.InsertOnce;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * How an enqueue is written ({@link dev.party.Party#enqueueAllDetailed(java.util.List, EnqueueOptions)}).
 *
 * @param idempotencyKey when not null, the tasks are stored at most once per key: an enqueue sent
 *     again with the key (a retry after a timeout) stores nothing and is answered with the tasks
 *     the first one stored. Kept at least 24 hours. 1 to 255 characters
 * @param fingerprint what the key is checked against: the same key with another fingerprint is a
 *     conflict. Null: a SHA-256 of the requests
 * @param maxWait how long the write may wait for its turn behind other writes before it is
 *     refused {@code busy}, storing nothing. Null: no bound
 */
public record EnqueueOptions(String idempotencyKey, String fingerprint, Duration maxWait) {

  public EnqueueOptions {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > InsertOnce.MAX_KEY_LENGTH
        || idempotencyKey.chars().anyMatch(Character::isISOControl))) {
      throw new InvalidTaskException(ErrorCode.INVALID_REQUEST,
          "an idempotency key must be 1 to %d characters without control characters; a UUID is a good one"
              .formatted(InsertOnce.MAX_KEY_LENGTH));
    }
  }

  public static EnqueueOptions defaults() {
    return new EnqueueOptions(null, null, null);
  }

  public EnqueueOptions idempotencyKey(String key) {
    return new EnqueueOptions(key, fingerprint, maxWait);
  }

  public EnqueueOptions fingerprint(String value) {
    return new EnqueueOptions(idempotencyKey, value, maxWait);
  }

  public EnqueueOptions maxWait(Duration value) {
    return new EnqueueOptions(idempotencyKey, fingerprint, value);
  }

  /** A SHA-256 of {@code content}, in hex: for {@link #fingerprint}. */
  public static String fingerprintOf(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
