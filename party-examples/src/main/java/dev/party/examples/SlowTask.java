package dev.party.examples;

import dev.party.task.PartyTask;
import java.util.Map;

/**
 * Works for {@code data.seconds} (default 10) in tenths of a second, reporting progress, and stops
 * early when its run is cancelled (or the shutdown grace period runs out). Used by the demo and by
 * the crash and shutdown tests.
 */
public final class SlowTask extends PartyTask {
  public static final String NAME = "SlowTask";

  @Override
  protected void run() throws InterruptedException {
    int steps = Math.max(1, (int) Math.round(data().path("seconds").asDouble(10) * 10));
    context().log("working for " + steps / 10.0 + " s");
    for (int step = 1; step <= steps; step++) {
      if (context().isCancelled()) throw new InterruptedException("cancelled");
      Thread.sleep(100);
      if (step % 10 == 0 || step == steps) context().progress(step * 100 / steps);
    }
    System.out.printf("SlowTask %s done after attempt %d%n", id(), attempts());
    System.out.flush();
    result(Map.of("steps", steps));
  }
}
