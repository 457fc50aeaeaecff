package dev.party.store;

import java.time.Instant;

/**
 * Something a running handler reports: progress (0-100, or null to leave it) and/or a log line (or
 * null). Applied only while the run holds its lease.
 */
public record RunNote(LeaseRef ref, String worker, Integer progress, String message, Instant now) {}
