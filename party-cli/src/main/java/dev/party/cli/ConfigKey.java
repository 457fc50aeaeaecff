package dev.party.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One single-valued setting: its key in the config file, the flag and the environment variable
 * that override it. A flag wins over the environment, which wins over the file, which wins over
 * the flag's own default ({@link ConfigDefaults} does the looking up). The defaults live on the
 * flags, where {@code --help} shows them, and in docs/configuration.md.
 *
 * @param key the dotted key in the config file ({@code http.port}); null when the file cannot set it
 * @param flag the longest name of the flag
 * @param env the environment variable
 */
record ConfigKey(String key, String flag, String env) {

  static final List<ConfigKey> ALL = List.of(
      new ConfigKey(null, "--config", "PARTY_CONFIG"),
      new ConfigKey("store.db", "--db", "PARTY_DB_URL"),
      new ConfigKey("store.pool-size", "--db-pool-size", "PARTY_DB_POOL_SIZE"),
      new ConfigKey("tasks-dir", "--tasks-dir", "PARTY_TASKS_DIR"),
      new ConfigKey("workers.count", "--workers", "PARTY_WORKERS"),
      new ConfigKey("workers.queues", "--queues", "PARTY_QUEUES"),
      new ConfigKey("workers.index", "--index", "PARTY_WORKER_INDEX"),
      new ConfigKey("workers.name", "--name", "PARTY_WORKER_NAME"),
      new ConfigKey("workers.virtual-threads", "--virtual-threads", "PARTY_VIRTUAL_THREADS"),
      new ConfigKey("workers.lease", "--lease", "PARTY_LEASE"),
      new ConfigKey("workers.heartbeat", "--heartbeat", "PARTY_HEARTBEAT"),
      new ConfigKey("workers.poll", "--poll", "PARTY_POLL"),
      new ConfigKey("workers.grace", "--grace", "PARTY_GRACE"),
      new ConfigKey("workers.processes", "--processes", "PARTY_PROCESSES"),
      new ConfigKey("workers.max-crashes", "--max-crashes", "PARTY_MAX_CRASHES"),
      new ConfigKey("http.host", "--host", "PARTY_HOST"),
      new ConfigKey("http.port", "--port", "PARTY_PORT"),
      new ConfigKey("http.tcp", "--tcp", "PARTY_TCP"),
      new ConfigKey("http.socket", "--socket", "PARTY_SOCKET"),
      new ConfigKey("http.max-body", "--max-body", "PARTY_MAX_BODY"),
      new ConfigKey("http.max-tasks-per-post", "--max-tasks-per-post", "PARTY_MAX_TASKS_PER_POST"),
      new ConfigKey("http.max-in-flight", "--max-in-flight", "PARTY_MAX_IN_FLIGHT"),
      new ConfigKey("http.queue-wait", "--queue-wait", "PARTY_QUEUE_WAIT"),
      new ConfigKey("http.max-tasks-in-flight", "--max-tasks-in-flight", "PARTY_MAX_TASKS_IN_FLIGHT"),
      new ConfigKey("http.enqueue-timeout", "--enqueue-timeout", "PARTY_ENQUEUE_TIMEOUT"),
      new ConfigKey("http.drain-timeout", "--drain-timeout", "PARTY_DRAIN_TIMEOUT"),
      new ConfigKey("http.idle-timeout", "--idle-timeout", "PARTY_IDLE_TIMEOUT"),
      new ConfigKey("http.header-timeout", "--header-timeout", "PARTY_HEADER_TIMEOUT"),
      new ConfigKey("http.min-body-rate", "--min-body-rate", "PARTY_MIN_BODY_RATE"),
      new ConfigKey("http.body-grace", "--body-grace", "PARTY_BODY_GRACE"),
      new ConfigKey("http.retry-after", "--retry-after", "PARTY_RETRY_AFTER"),
      new ConfigKey("http.dashboard-login", "--dashboard-login", "PARTY_DASHBOARD_LOGIN"),
      new ConfigKey("auth.token-file", "--token-file", "PARTY_TOKEN_FILE"),
      new ConfigKey("cleanup.every", "--cleanup-every", "PARTY_CLEANUP_EVERY"),
      new ConfigKey("cleanup.retention", "--cleanup-retention", "PARTY_CLEANUP_RETENTION"),
      new ConfigKey("cleanup.completed-dump", "--completed-dump", "PARTY_COMPLETED_DUMP"),
      new ConfigKey("cleanup.failed-dump", "--failed-dump", "PARTY_FAILED_DUMP"),
      new ConfigKey("cleanup.batch-size", "--cleanup-batch-size", "PARTY_CLEANUP_BATCH_SIZE"));

  static Optional<ConfigKey> byFlag(String flag) {
    return ALL.stream().filter(key -> key.flag.equals(flag)).findFirst();
  }

  /** The file's top-level keys that hold single values: {@code tasks-dir}. */
  static Set<String> topLevel() {
    Set<String> top = new LinkedHashSet<>();
    for (ConfigKey setting : ALL) {
      if (setting.key != null && !setting.key.contains(".")) top.add(setting.key);
    }
    return top;
  }

  /** The file's sections of single values: {@code store}, {@code workers}, {@code http}... */
  static Set<String> sections() {
    Set<String> sections = new LinkedHashSet<>();
    for (ConfigKey setting : ALL) {
      if (setting.key != null && setting.key.contains(".")) sections.add(setting.section());
    }
    return sections;
  }

  /** The keys of one section, without the section: {@code port}, {@code host}... */
  static Set<String> keysOf(String section) {
    Set<String> keys = new LinkedHashSet<>();
    for (ConfigKey setting : ALL) {
      if (setting.key != null && setting.key.startsWith(section + ".")) keys.add(setting.key.substring(section.length() + 1));
    }
    return keys;
  }

  private String section() {
    return key.substring(0, key.indexOf('.'));
  }
}
