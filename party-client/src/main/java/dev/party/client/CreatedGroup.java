package dev.party.client;

import java.util.List;

/** A group the server stored: its id, its members, and its callback, WAITING until every member ended. */
public record CreatedGroup(String group, List<CreatedTask> members, CreatedTask callback) {}
