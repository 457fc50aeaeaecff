package dev.party.store;

import java.util.List;

/** What {@link CompleteAndClaim} did; {@code completed} is null when nothing was to be written. */
public record CompletedAndClaimed(CompleteResult completed, List<ClaimedTask> claimed) {}
