package dev.party.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Extends the leases of the runs {@code owner} still holds to now + {@code lease}. */
public record Heartbeat(String owner, List<LeaseRef> runs, Duration lease, Instant now) {}
