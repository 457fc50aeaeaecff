package dev.party.task;

import java.util.List;

/**
 * What an enqueue with {@link EnqueueOptions} did.
 *
 * @param enqueued one entry per request, in order (see {@link Enqueued})
 * @param replayed true when an earlier enqueue with the same idempotency key stored these tasks,
 *     and this one stored nothing
 */
public record EnqueueResult(List<Enqueued> enqueued, boolean replayed) {
  public EnqueueResult {
    enqueued = List.copyOf(enqueued);
  }
}
