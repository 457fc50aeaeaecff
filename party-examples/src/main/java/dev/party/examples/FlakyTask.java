package dev.party.examples;

import dev.party.task.PartyTask;

/** Fails on its first two attempts and succeeds on the third: watch the retries in its log. */
public final class FlakyTask extends PartyTask {
  public static final String NAME = "FlakyTask";

  @Override
  protected void run() {
    if (attempts() < 3) {
      throw new IllegalStateException("simulated failure on attempt " + attempts());
    }
    System.out.printf("FlakyTask %s succeeded on attempt %d%n", id(), attempts());
    System.out.flush();
  }
}
