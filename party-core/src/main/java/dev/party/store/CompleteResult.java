package dev.party.store;

import java.util.List;

/** How many completions were applied, and which were refused because the run no longer held its lease. */
public record CompleteResult(int applied, List<LeaseRef> fenced) {}
