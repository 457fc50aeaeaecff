package dev.party;

import dev.party.error.ConfigException;
import dev.party.store.CrashPolicy;
import dev.party.task.TaskRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an engine runs. Immutable; {@link PartyBuilder} (and the CLI's flags) produce one, and
 * {@link #validate()} reports every problem at once.
 *
 * @param workerId this node's name in leases and logs, {@code hostname-index}. Default: {@code <hostname>-1}
 * @param workers how many tasks run at once, from the {@code queues} served. Not used when {@code
 *     queueWorkers} is given. Default: one per core
 * @param virtualThreads run handlers on virtual threads (for I/O-bound work). Default: false
 * @param queues the queues this node takes tasks from; null for all. Must be null when {@code
 *     queueWorkers} is given. Default: all
 * @param lease how long a run is owned without a heartbeat. Default: 30 s
 * @param heartbeat how often leases are extended and expired ones taken back. Default: 10 s
 * @param pollInterval how often to look for due tasks when nothing wakes the engine. Default: 1 s
 * @param shutdownGrace how long running tasks may finish after a stop. Default: 10 s
 * @param queueWorkers named queues with their own worker counts, e.g. {@code video=2, default=8}:
 *     when given, the node serves exactly these queues, runs at most that many tasks of each at
 *     once on slots of their own (a busy queue never takes another's), and {@code workers} and
 *     {@code queues} do not apply. Empty for one pool of {@code workers}. Default: empty
 * @param maxCrashes how many times a task may crash its worker (the process died or hung while
 *     running it) before it is quarantined: FAILED, not retried. Default: 3
 */
public record PartyConfig(
    String workerId,
    int workers,
    boolean virtualThreads,
    Set<String> queues,
    Duration lease,
    Duration heartbeat,
    Duration pollInterval,
    Duration shutdownGrace,
    Map<String, Integer> queueWorkers,
    int maxCrashes) {

  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CRASHES = CrashPolicy.DEFAULT_MAX_CRASHES;

  public PartyConfig {
    // Keeps the order given: the dispatcher claims for the queues in this order.
    queueWorkers = queueWorkers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(queueWorkers));
  }

  public static PartyConfig defaults() {
    return new PartyConfig(
        defaultWorkerId(1),
        Runtime.getRuntime().availableProcessors(),
        false,
        null,
        DEFAULT_LEASE,
        DEFAULT_HEARTBEAT,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_SHUTDOWN_GRACE,
        Map.of(),
        DEFAULT_MAX_CRASHES);
  }

  /** How many tasks this node runs at once: the sum of the queue counts when given, else {@code workers}. */
  public int slots() {
    return queueWorkers.isEmpty() ? workers : queueWorkers.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The queues this node claims from; null for all. */
  public Set<String> servedQueues() {
    return queueWorkers.isEmpty() ? queues : queueWorkers.keySet();
  }

  /**
   * What is wrong with these queue worker counts: each name is a queue name a task may carry
   * (not blank, no control characters, no surrounding spaces, at most 200 characters) and each
   * count at least 1. Empty when all is well.
   */
  public static List<String> queueWorkerProblems(Map<String, Integer> queueWorkers) {
    List<String> problems = new ArrayList<>();
    queueWorkers.forEach((name, count) -> {
      String problem = queueNameProblem(name);
      if (problem != null) problems.add(problem);
      if (count == null || count < 1) {
        problems.add("queue '%s' needs at least 1 worker, not %s".formatted(name, count));
      }
    });
    return problems;
  }

  /** What is wrong with a queue name; null when nothing is. */
  static String queueNameProblem(String name) {
    if (name == null || name.isBlank()) return "a queue name must not be blank";
    if (name.length() > TaskRequest.MAX_NAME_LENGTH) {
      return "queue name '%s...' is %d characters long; at most %d"
          .formatted(name.substring(0, 20), name.length(), TaskRequest.MAX_NAME_LENGTH);
    }
    if (name.chars().anyMatch(Character::isISOControl)) return "queue name '%s' must not contain control characters".formatted(name.replaceAll("\\p{Cntrl}", "?"));
    if (!name.strip().equals(name)) return "queue name '%s' must not start or end with spaces".formatted(name);
    return null;
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
    if (maxCrashes < 1) problems.add("maxCrashes must be at least 1, not " + maxCrashes);
    if (queues != null && queues.isEmpty()) problems.add("queues must name at least one queue, or be null for all");
    problems.addAll(queueWorkerProblems(queueWorkers));
    if (!queueWorkers.isEmpty() && queues != null) {
      problems.add("give queues (%s) or queue worker counts (%s), not both: with counts the node serves exactly the queues counted"
          .formatted(queues.stream().sorted().toList(), queueWorkers));
    }
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return this;
  }
}
