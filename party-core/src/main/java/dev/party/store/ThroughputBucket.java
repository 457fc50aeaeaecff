package dev.party.store;

import java.time.Instant;

/**
 * Tasks that ended within one time bucket, by the time they ended ({@code finished_at}).
 *
 * @param start the bucket's first instant; buckets are aligned to multiples of their length since the epoch
 * @param finished tasks that became FINISHED in the bucket
 * @param failed tasks that became FAILED in the bucket (cancelled ones are not counted: they did not run to an end)
 */
public record ThroughputBucket(Instant start, long finished, long failed) {}
