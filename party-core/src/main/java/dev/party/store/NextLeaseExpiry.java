package dev.party.store;

import java.time.Instant;

/** Asks how long until the earliest lease of a RUNNING task expires, counted from {@code now} (null: the store's clock). */
public record NextLeaseExpiry(Instant now) {}
