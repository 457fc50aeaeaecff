package dev.party.store;

import java.time.Instant;
import java.util.List;

/** Inserts all tasks or none, in one transaction. {@code now}: a pinned clock, or null for the store's. */
public record InsertTasks(List<NewTask> tasks, Instant now) {}
