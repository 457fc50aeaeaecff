package dev.party;

import dev.party.error.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How an engine runs. Immutable; {@link PartyBuilder} (and the CLI's flags) produce one, and
 * {@link #validate()} reports every problem at once.
 *
 * @param workerId this node's name in leases and logs, {@code hostname-index}. Default: {@code <hostname>-1}
 * @param workers how many tasks run at once. Default: one per core
 * @param virtualThreads run handlers on virtual threads (for I/O-bound work). Default: false
 * @param queues the queues this node takes tasks from; null for all. Default: all
 * @param lease how long a run is owned without a heartbeat. Default: 30 s
 * @param heartbeat how often leases are extended and expired ones taken back. Default: 10 s
 * @param pollInterval how often to look for due tasks when nothing wakes the engine. Default: 1 s
 * @param shutdownGrace how long running tasks may finish after a stop. Default: 10 s
 */
public record PartyConfig(
    String workerId,
    int workers,
    boolean virtualThreads,
    Set<String> queues,
    Duration lease,
    Duration heartbeat,
    Duration pollInterval,
    Duration shutdownGrace) {

  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  public static PartyConfig defaults() {
    return new PartyConfig(
        defaultWorkerId(1),
        Runtime.getRuntime().availableProcessors(),
        false,
        null,
        DEFAULT_LEASE,
        DEFAULT_HEARTBEAT,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_SHUTDOWN_GRACE);
  }

  /** {@code hostname-index}, the seeds' worker name. */
  public static String defaultWorkerId(int index) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + index;
  }

  public PartyConfig validate() {
    List<String> problems = new ArrayList<>();
    if (workerId == null || workerId.isBlank()) problems.add("workerId must not be blank");
    if (workers < 1) problems.add("workers must be at least 1, not " + workers);
    if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
      problems.add("lease (%s) must be at least 2 x heartbeat (%s); raise 'lease' or lower 'heartbeat'"
          .formatted(lease, heartbeat));
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) problems.add("heartbeat must be positive");
    if (pollInterval.isNegative() || pollInterval.isZero()) problems.add("pollInterval must be positive");
    if (shutdownGrace.isNegative()) problems.add("shutdownGrace must not be negative");
    if (queues != null && queues.isEmpty()) problems.add("queues must name at least one queue, or be null for all");
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return this;
  }
}
