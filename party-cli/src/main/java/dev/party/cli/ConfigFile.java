package dev.party.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.party.CleanupConfig;
import dev.party.PartyConfig;
import dev.party.error.ConfigException;
import dev.party.error.PartyException;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleJson;
import dev.party.schedule.TimeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config file, YAML ({@code party.yaml}). It holds the schedules that every start of {@code
 * party server} and {@code party worker} declares: stored when new, updated when their definition
 * changed, left alone otherwise; and the queues this node serves with their worker counts (the
 * flags {@code --queue}, {@code --workers} and {@code --queues} win over them). Keys it does not
 * know are refused, so a typo is not silently ignored. {@code cleanup:} sets the built-in cleanup
 * of final tasks (see {@link dev.party.CleanupConfig}).
 *
 * <pre>
 * queues: {video: 2, default: 8}
 * cleanup: {every: 1 hour, retention: 7 days, completed-dump: dumps/completed.log, failed-dump: dumps/failed.log}
 * schedules:
 *   - name: nightly-report
 *     party: NightlyReport
 *     cron: "0 3 * * *"
 *     zone: Europe/Berlin
 *   - party: SendReminders
 *     every: 30 minutes
 * </pre>
 */
record ConfigFile(Path path, List<Schedule> schedules, Map<String, Integer> queues, CleanupConfig cleanup) {
  /** Read when present and no other file is named. */
  static final Path DEFAULT = Path.of("party.yaml");
  static final Set<String> KEYS = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of("schedules", "queues", "cleanup")));
  /** The keys of the {@code cleanup:} map. */
  static final Set<String> CLEANUP_KEYS = Collections.unmodifiableSortedSet(new TreeSet<>(
      Set.of("every", "retention", "completed-dump", "failed-dump", "batch-size")));

  static ConfigFile none() {
    return new ConfigFile(null, List.of(), Map.of(), CleanupConfig.defaults());
  }

  /** {@code path} when given (it must exist), else party.yaml when it exists, else nothing. */
  static ConfigFile load(Path path) {
    if (path == null) return Files.exists(DEFAULT) ? read(DEFAULT) : none();
    if (!Files.isRegularFile(path)) throw new ConfigException("config file " + path + " does not exist");
    return read(path);
  }

  static ConfigFile read(Path path) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
    } catch (JacksonException e) {
      throw new ConfigException("%s is not valid YAML: %s".formatted(path, e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + path + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) return new ConfigFile(path, List.of(), Map.of(), CleanupConfig.defaults());
    if (!root.isObject()) throw new ConfigException(path + ": the file must be a map of keys, such as schedules:");
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!KEYS.contains(key)) {
        throw new ConfigException("%s: unknown key '%s'; this version reads %s".formatted(path, key, KEYS));
      }
    }
    return new ConfigFile(path, schedules(path, root.get("schedules")), queues(path, root.get("queues")),
        cleanup(path, root.get("cleanup")));
  }

  /**
   * {@code cleanup: {every: 1 hour, retention: 7 days, completed-dump: dumps/completed.log,
   * failed-dump: dumps/failed.log}}; {@code every: off} turns the schedule off. Relative dump paths
   * are read from the directory the process starts in.
   */
  private static CleanupConfig cleanup(Path path, JsonNode map) {
    CleanupConfig cleanup = CleanupConfig.defaults();
    if (map == null || map.isNull()) return cleanup;
    if (!map.isObject()) {
      throw new ConfigException(path + ": cleanup must be a map such as {every: 1 hour, retention: 7 days}");
    }
    for (Iterator<String> keys = map.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!CLEANUP_KEYS.contains(key)) {
        throw new ConfigException("%s: unknown key 'cleanup.%s'; cleanup reads %s".formatted(path, key, CLEANUP_KEYS));
      }
    }
    try {
      String every = text(map, "every");
      if (every != null) cleanup = "off".equalsIgnoreCase(every) ? cleanup.off() : cleanup.every(TimeText.duration(every));
      String retention = text(map, "retention");
      if (retention != null) cleanup = cleanup.retention(TimeText.duration(retention));
      String completed = text(map, "completed-dump");
      String failed = text(map, "failed-dump");
      if (completed != null || failed != null) {
        cleanup = cleanup.dumps(completed == null ? null : Path.of(completed), failed == null ? null : Path.of(failed));
      }
      JsonNode batch = map.get("batch-size");
      if (batch != null && !batch.isNull()) {
        if (!batch.isInt()) throw new ConfigException("cleanup.batch-size must be a whole number, not " + batch);
        cleanup = cleanup.batchSize(batch.intValue());
      }
    } catch (RuntimeException e) {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException || e instanceof PartyException) {
        throw new ConfigException("%s: %s".formatted(path, e.getMessage()));
      }
      throw e;
    }
    return cleanup;
  }

  private static String text(JsonNode map, String key) {
    JsonNode value = map.get(key);
    if (value == null || value.isNull()) return null;
    // YAML reads "off" as false.
    if (value.isBoolean() && !value.booleanValue()) return "off";
    return value.asText();
  }

  /** {@code queues: {video: 2, default: 8}}: each queue this node serves, with its worker count. */
  private static Map<String, Integer> queues(Path path, JsonNode map) {
    if (map == null || map.isNull()) return Map.of();
    if (!map.isObject()) {
      throw new ConfigException(path + ": queues must be a map of queue name to worker count, such as {video: 2, default: 8}");
    }
    Map<String, Integer> queues = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    map.fields().forEachRemaining(entry -> {
      JsonNode count = entry.getValue();
      if (count.isInt()) {
        queues.put(entry.getKey(), count.intValue());
      } else {
        problems.add("queues.%s must be a whole number of workers, not %s".formatted(entry.getKey(), count));
      }
    });
    problems.addAll(PartyConfig.queueWorkerProblems(queues));
    if (!problems.isEmpty()) throw new ConfigException(path + ": " + String.join("; ", problems));
    return Collections.unmodifiableMap(queues);
  }

  private static List<Schedule> schedules(Path path, JsonNode list) {
    if (list == null || list.isNull()) return List.of();
    if (!list.isArray()) throw new ConfigException(path + ": schedules must be a list");
    List<Schedule> schedules = new ArrayList<>();
    Map<String, Integer> named = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Schedule schedule;
      try {
        schedule = ScheduleJson.read(list.get(i));
      } catch (PartyException e) {
        throw new ConfigException("%s: schedules[%d]: %s".formatted(path, i, e.getMessage()));
      }
      Integer earlier = named.putIfAbsent(schedule.name(), i);
      if (earlier != null) {
        throw new ConfigException(("%s: schedules[%d] and schedules[%d] are both named '%s' (by default a schedule is "
            + "named after its handler and data); give one another name").formatted(path, earlier, i, schedule.name()));
      }
      schedules.add(schedule);
    }
    return List.copyOf(schedules);
  }

  /** Every schedule names a handler registered here; checked before anything is stored. */
  void checkHandlers(Set<String> handlers) {
    for (int i = 0; i < schedules.size(); i++) {
      String handler = schedules.get(i).task().handler();
      if (!handlers.contains(handler)) {
        throw new ConfigException("%s: schedules[%d]: no handler named '%s'; the handlers here are %s"
            .formatted(path, i, handler, handlers.stream().sorted().toList()));
      }
    }
  }
}
