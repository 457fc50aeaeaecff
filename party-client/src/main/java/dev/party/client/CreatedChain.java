package dev.party.client;

import java.util.List;

/** A chain the server stored: its id and its steps, the first due as asked, the others WAITING. */
public record CreatedChain(String chain, List<CreatedTask> steps) {}
