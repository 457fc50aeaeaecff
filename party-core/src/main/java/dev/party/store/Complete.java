package dev.party.store;

import java.time.Instant;
import java.util.List;

/** Writes a batch of completions by one owner in one transaction. */
public record Complete(String owner, List<Completion> completions, Instant now) {}
