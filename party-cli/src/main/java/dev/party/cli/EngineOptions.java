package dev.party.cli;

import dev.party.PartyBuilder;
import dev.party.PartyConfig;
import dev.party.cli.ConfigDefaults.Source;
import dev.party.error.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How this node runs tasks. Mixed into {@code worker} and {@code server}. */
final class EngineOptions {

  @Option(names = "--workers", description = "Tasks run at once. Env: PARTY_WORKERS. File: workers.count. Default: one per core.")
  Integer workers;

  @Option(names = "--queue", paramLabel = "NAME=N",
      description = "Serve queue NAME with N workers of its own; repeat for each queue. Only the queues given are"
          + " served; not with --workers or --queues. Wins over the config file's queues.")
  List<String> queueCounts;

  @Option(names = "--index", defaultValue = "1",
      description = "This worker's index on the machine; its name is hostname-index. Env: PARTY_WORKER_INDEX."
          + " File: workers.index. Default: 1.")
  int index;

  @Option(names = "--name", description = "The whole worker name, instead of hostname-index. Env: PARTY_WORKER_NAME."
      + " File: workers.name.")
  String name;

  @Option(names = "--queues", split = ",", description = "Only these queues, sharing --workers. Env: PARTY_QUEUES. File: workers.queues. Default: all.")
  List<String> queues;

  @Option(names = "--virtual-threads", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Run handlers on virtual threads (I/O-bound work); --no-virtual-threads for platform threads."
          + " Env: PARTY_VIRTUAL_THREADS. File: workers.virtual-threads. Default: false.")
  boolean virtualThreads;

  @Option(names = "--lease", defaultValue = "30s", description = "Lease length. Env: PARTY_LEASE. File: workers.lease. Default: ${DEFAULT-VALUE}.")
  Duration lease;

  @Option(names = "--heartbeat", defaultValue = "10s", description = "Heartbeat interval. Env: PARTY_HEARTBEAT. File: workers.heartbeat. Default: ${DEFAULT-VALUE}.")
  Duration heartbeat;

  @Option(names = "--poll", defaultValue = "1s", description = "Fallback poll interval. Env: PARTY_POLL. File: workers.poll. Default: ${DEFAULT-VALUE}.")
  Duration poll;

  @Option(names = "--grace", defaultValue = "10s",
      description = "How long running tasks may finish after SIGTERM. Env: PARTY_GRACE. File: workers.grace."
          + " Default: ${DEFAULT-VALUE}.")
  Duration grace;

  @Option(names = "--max-crashes", paramLabel = "N", defaultValue = "3",
      description = "Quarantine a task (FAILED, not retried) once it has crashed its worker process N times."
          + " Env: PARTY_MAX_CRASHES. File: workers.max-crashes. Default: ${DEFAULT-VALUE}.")
  int maxCrashes;

  /** The command this is mixed into, for where its values come from. */
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  String workerId() {
    return name != null ? name : PartyConfig.defaultWorkerId(index);
  }

  /**
   * Checks the config file against the flags: call it before the store opens, so a bad file or
   * flag changes nothing. Its schedules are declared when the engine starts.
   */
  ConfigFile check(ConfigFile file) {
    queueWorkers(file);
    return file;
  }

  /**
   * The queues with their own worker counts, or none for one shared pool. Per-queue counts come
   * from {@code --queue} flags or the file's {@code queues:}; a shared pool from {@code
   * workers.count} / {@code workers.queues} (flags, environment or file). They cannot both apply,
   * so the one from the stronger source wins (flag, then environment, then file); from the same
   * source they are refused.
   */
  Map<String, Integer> queueWorkers(ConfigFile file) {
    boolean flags = queueCounts != null && !queueCounts.isEmpty();
    Source perQueue = flags ? Source.FLAG : file.queues().isEmpty() ? Source.DEFAULT : Source.FILE;
    Source shared = strongest(workers == null ? Source.DEFAULT : source("--workers"),
        queues == null ? Source.DEFAULT : source("--queues"));
    if (perQueue == Source.DEFAULT) return Map.of();
    if (perQueue == shared) {
      throw new ConfigException(perQueue == Source.FLAG
          ? "give --queue NAME=N or --workers/--queues, not both: with --queue the node serves exactly the queues"
              + " given, each with its own workers"
          : "%s: give queues: (workers per queue) or workers.count/workers.queues (one shared pool), not both"
              .formatted(file.path()));
    }
    if (shared.compareTo(perQueue) < 0) return Map.of();
    return flags ? flagCounts() : file.queues();
  }

  /** Where a flag's value comes from: the command line, else the environment or the file, else its default. */
  private Source source(String flag) {
    if (mixee == null) return Source.FLAG;
    CommandLine command = mixee.commandLine();
    if (command.getParseResult() != null && command.getParseResult().hasMatchedOption(flag)) return Source.FLAG;
    return command.getDefaultValueProvider() instanceof ConfigDefaults defaults ? defaults.source(flag) : Source.DEFAULT;
  }

  private static Source strongest(Source a, Source b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private Map<String, Integer> flagCounts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String flag : queueCounts) {
      int equals = flag.lastIndexOf('=');
      if (equals < 0) {
        problems.add("--queue %s: give NAME=N, such as --queue video=2".formatted(flag));
        continue;
      }
      String name = flag.substring(0, equals);
      String count = flag.substring(equals + 1);
      if (!count.matches("[+-]?\\d{1,9}")) {
        problems.add("--queue %s: the worker count must be a whole number, not '%s'".formatted(flag, count));
      } else if (counts.put(name, Integer.parseInt(count)) != null) {
        problems.add("--queue %s: queue '%s' is given twice".formatted(flag, name));
      }
    }
    problems.addAll(PartyConfig.queueWorkerProblems(counts));
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return counts;
  }

  /** For the start-up log line: {@code 8 workers}, or {@code 3 workers (video=1, default=2)}. */
  static String describeWorkers(PartyConfig config) {
    return config.queueWorkers().isEmpty()
        ? config.slots() + " workers"
        : "%d workers %s".formatted(config.slots(), config.queueWorkers()).replace('{', '(').replace('}', ')');
  }

  PartyBuilder applyTo(PartyBuilder builder, ConfigFile file, CleanupOptions cleanup) {
    file.schedules().forEach(builder::schedule);
    builder.cleanup(cleanup.config());
    Map<String, Integer> counts = queueWorkers(file);
    counts.forEach(builder::queue);
    builder.workerId(workerId())
        .virtualThreads(virtualThreads)
        .lease(lease, heartbeat)
        .pollInterval(poll)
        .shutdownGrace(grace)
        .maxCrashes(maxCrashes);
    if (counts.isEmpty()) { // a shared pool; with per-queue counts, workers and queues lost to a stronger source
      builder.queues(queueNames());
      if (workers != null) builder.workers(workers);
    }
    return builder;
  }

  /** The names of {@code --queues}, spaces around them dropped ("a, b" is a and b); null for all. */
  private Set<String> queueNames() {
    if (queues == null) return null;
    Set<String> names = new LinkedHashSet<>();
    for (String name : queues) {
      if (!name.isBlank()) names.add(name.strip());
    }
    return names.isEmpty() ? null : Set.copyOf(names);
  }
}
