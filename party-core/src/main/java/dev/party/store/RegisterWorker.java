package dev.party.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A worker process announcing itself in the registry at start (see {@link TaskStore#registerWorker}).
 *
 * @param name the worker name ({@code hostname-index}), the same as its tasks' lease owner
 * @param host the machine's host name
 * @param pid the operating system's process id
 * @param queues the queues it takes tasks from; empty for all
 * @param slots how many tasks it runs at once
 * @param version Party's version, or null when unknown
 * @param heartbeat how often it heartbeats: it counts as live until 3 of them are missed
 * @param now null in production (the store's clock)
 */
public record RegisterWorker(String name, String host, long pid, List<String> queues, int slots,
    String version, Duration heartbeat, Instant now) {

  /** A worker that missed this many heartbeats in a row is dead. */
  public static final int MISSED_HEARTBEATS = 3;

  /** How long a dead or stopped worker stays listed before it is dropped from the registry. */
  public static final Duration KEPT = Duration.ofDays(1);

  public RegisterWorker {
    queues = List.copyOf(queues);
  }
}
