package dev.party.cli;

import dev.party.PartyBuilder;
import dev.party.PartyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** How this node runs tasks. Mixed into {@code worker} and {@code server}. */
final class EngineOptions {

  @Option(names = "--workers", description = "Tasks run at once. Default: one per core.")
  Integer workers;

  @Option(names = "--index", defaultValue = "1",
      description = "This worker's index on the machine; its name is hostname-index. Default: 1.")
  int index;

  @Option(names = "--name", description = "The whole worker name, instead of hostname-index.")
  String name;

  @Option(names = "--queues", split = ",", description = "Only these queues. Default: all.")
  List<String> queues;

  @Option(names = "--virtual-threads", description = "Run handlers on virtual threads (I/O-bound work).")
  boolean virtualThreads;

  @Option(names = "--lease", defaultValue = "30s", description = "Lease length. Default: ${DEFAULT-VALUE}.")
  Duration lease;

  @Option(names = "--heartbeat", defaultValue = "10s", description = "Heartbeat interval. Default: ${DEFAULT-VALUE}.")
  Duration heartbeat;

  @Option(names = "--poll", defaultValue = "1s", description = "Fallback poll interval. Default: ${DEFAULT-VALUE}.")
  Duration poll;

  @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:PARTY_CONFIG}",
      description = "The config file (YAML) with the schedules to declare. Env: PARTY_CONFIG. Default: party.yaml when it exists.")
  Path config;

  @Option(names = "--grace", defaultValue = "10s",
      description = "How long running tasks may finish after SIGTERM. Default: ${DEFAULT-VALUE}.")
  Duration grace;

  String workerId() {
    return name != null ? name : PartyConfig.defaultWorkerId(index);
  }

  /** Reads the config file; its schedules are declared when the engine starts. */
  ConfigFile configFile() {
    return ConfigFile.load(config);
  }

  PartyBuilder applyTo(PartyBuilder builder, ConfigFile file) {
    file.schedules().forEach(builder::schedule);
    builder.workerId(workerId())
        .virtualThreads(virtualThreads)
        .queues(queues == null ? null : Set.copyOf(queues))
        .lease(lease, heartbeat)
        .pollInterval(poll)
        .shutdownGrace(grace);
    if (workers != null) builder.workers(workers);
    return builder;
  }
}
