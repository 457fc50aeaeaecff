package dev.party.store;

import java.time.Instant;

/** A registered worker's heartbeat or clean stop; {@code now} is null in production. */
public record WorkerRef(String name, Instant now) {}
