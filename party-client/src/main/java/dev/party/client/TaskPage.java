package dev.party.client;

import java.util.List;

/** A page of tasks, newest first; {@code next} is the cursor for the following page, null on the last. */
public record TaskPage(List<TaskInfo> tasks, String next) {}
