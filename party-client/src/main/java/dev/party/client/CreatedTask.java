package dev.party.client;

import java.time.Instant;

/**
 * A task the server stored: its id, its state (SCHEDULED when its time is in the future, else
 * ENQUEUED), when it may run, and where to look at it ({@code /tasks/{id}}).
 *
 * @param covered true when the request had a batch key that a waiting task already held: nothing
 *     new was stored, and the other fields describe that waiting task
 */
public record CreatedTask(String id, String party, String state, Instant timestamp, String location, boolean covered) {}
