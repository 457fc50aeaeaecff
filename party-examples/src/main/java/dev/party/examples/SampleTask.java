package dev.party.examples;

import dev.party.task.PartyTask;

/** The seeds' first handler: prints {@code data.arg1}, then which attempt of which task this is. */
public final class SampleTask extends PartyTask {
  public static final String NAME = "SampleTask";

  @Override
  protected void run() {
    System.out.println(data().path("arg1").asText());
    System.out.printf(
        "Attempting run %d of task %s which was scheduled on %s.%n", attempts(), id(), timestamp());
    System.out.flush();
  }
}
