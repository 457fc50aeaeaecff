package dev.party.store;

import dev.party.task.Enqueued;
import java.util.List;

/**
 * What {@link TaskStore#insertOnce} did.
 *
 * @param enqueued one entry per task, as {@link TaskStore#insert(InsertTasks)} returns: this call's,
 *     or, when {@code replayed}, the first call's with that key
 * @param replayed true when the key had been used before with the same fingerprint, so nothing
 *     was stored now
 */
public record InsertedOnce(List<Enqueued> enqueued, boolean replayed) {
  public InsertedOnce {
    enqueued = List.copyOf(enqueued);
  }
}
