package dev.party.engine;

import dev.party.task.TaskId;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Makes task ids: 8 hex digits of epoch seconds, 6 of a per-process counter, 10 of per-process
 * random bits. Ids sort by creation second, then by creation order within one process.
 */
public final class TaskIds {
  private static final HexFormat HEX = HexFormat.of();

  private final InstantSource clock;
  private final String processBits;
  private int counter;

  public TaskIds(InstantSource clock, RandomGenerator random) {
    this.clock = clock;
    this.processBits = HEX.toHexDigits(random.nextLong()).substring(6);
  }

  public synchronized TaskId next() {
    long seconds = clock.instant().getEpochSecond();
    counter = (counter + 1) & 0xFFFFFF;
    String hex = HEX.toHexDigits((int) seconds) + HEX.toHexDigits(counter).substring(2) + processBits;
    return new TaskId(hex);
  }
}
