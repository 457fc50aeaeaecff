package dev.party.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.party.PartyConfig;
import dev.party.error.ConfigException;
import dev.party.error.PartyException;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config file, YAML ({@code party.yaml}): every setting of {@code party server} and {@code party
 * worker} in one place. Single values ({@code http.port}, {@code workers.count}...) are listed in
 * {@link ConfigKey}, each with the flag and environment variable that win over it; the maps are
 * {@code queues} (worker counts per queue; {@code --queue} wins), {@code task-types} (settings per
 * handler), {@code datasources} (pooled connections handlers get by name) and {@code schedules}
 * (declared at every start). Keys it does not know are refused, so a typo is not silently ignored.
 *
 * <pre>
 * store: {db: jdbc:postgresql://db.internal/party?user=party}
 * workers: {count: 8, grace: 30s}
 * http: {host: 0.0.0.0, port: 8032}
 * auth: {token-file: /etc/party/tokens}
 * queues: {video: 2, default: 8}
 * task-types:
 *   SendEmail: {max-attempts: 3, timeout: 1 minute, rate-limit: 100 per minute}
 * datasources:
 *   reports: {url: "jdbc:postgresql://db.internal/reports", user: reporter, password-env: REPORTS_PASSWORD}
 * cleanup: {every: 1 hour, retention: 7 days}
 * schedules:
 *   - name: nightly-report
 *     party: NightlyReport
 *     cron: "0 3 * * *"
 * </pre>
 */
record ConfigFile(
    Path path,
    Map<String, String> values,
    List<Schedule> schedules,
    Map<String, Integer> queues,
    List<TaskTypeSettings> taskTypes,
    List<DataSourceSettings> dataSources) {
  /** Read when present and no other file is named. */
  static final Path DEFAULT = Path.of("party.yaml");
  /** The keys holding maps and lists, beside the sections of {@link ConfigKey}. */
  static final List<String> MAPS = List.of("queues", "task-types", "datasources", "schedules");
  /** The keys that take true or false; YAML reads a bare yes, no, on or off as those too. */
  static final Set<String> BOOLEANS = Set.of("workers.virtual-threads", "http.tcp");

  static ConfigFile none() {
    return new ConfigFile(null, Map.of(), List.of(), Map.of(), List.of(), List.of());
  }

  /** {@code path} when given (it must exist), else party.yaml when it exists, else nothing. */
  static ConfigFile load(Path path) {
    if (path == null) return Files.exists(DEFAULT) ? read(DEFAULT) : none();
    if (!Files.isRegularFile(path)) throw new ConfigException("config file " + path + " does not exist");
    return read(path);
  }

  /** Every top-level key the file reads, in the order docs/configuration.md lists them. */
  static Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>(ConfigKey.topLevel());
    keys.addAll(ConfigKey.sections());
    keys.addAll(MAPS);
    return Collections.unmodifiableSet(keys);
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
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new ConfigFile(path, Map.of(), List.of(), Map.of(), List.of(), List.of());
    }
    if (!root.isObject()) throw new ConfigException(path + ": the file must be a map of keys, such as workers:");
    refuseUnknown(path, root, "", keys());
    return new ConfigFile(path, values(path, root), schedules(path, root.get("schedules")), queues(path, root.get("queues")),
        TaskTypeSettings.read(path, root.get("task-types")), DataSourceSettings.read(path, root.get("datasources")));
  }

  /** The single values, by dotted key, as text for the flags' converters. */
  private static Map<String, String> values(Path path, JsonNode root) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : ConfigKey.topLevel()) put(path, values, key, root.get(key));
    for (String section : ConfigKey.sections()) {
      JsonNode map = root.get(section);
      if (map == null || map.isNull()) continue;
      if (!map.isObject()) {
        throw new ConfigException("%s: %s must be a map of %s".formatted(path, section, ConfigKey.keysOf(section)));
      }
      refuseUnknown(path, map, section + ".", ConfigKey.keysOf(section));
      for (String key : ConfigKey.keysOf(section)) put(path, values, section + "." + key, map.get(key));
    }
    return Collections.unmodifiableMap(values);
  }

  private static void put(Path path, Map<String, String> values, String key, JsonNode value) {
    if (value == null || value.isNull()) return;
    if (value.isArray() && key.equals("workers.queues")) { // a list of names, as --queues a,b takes them
      List<String> names = new ArrayList<>();
      value.forEach(name -> names.add(text(path, key, name)));
      values.put(key, String.join(",", names));
      return;
    }
    if (!value.isValueNode()) throw new ConfigException("%s: %s must be a single value, not %s".formatted(path, key, value));
    // YAML reads a bare off as false: "cleanup.every: off" means off.
    if (key.equals("cleanup.every") && value.isBoolean() && !value.booleanValue()) {
      values.put(key, "off");
      return;
    }
    values.put(key, BOOLEANS.contains(key) ? value.asText() : text(path, key, value));
  }

  /** A value that is text: a bare YAML yes, no, on or off would arrive as true or false, so it is refused. */
  private static String text(Path path, String key, JsonNode value) {
    if (value.isBoolean()) {
      throw new ConfigException(("%s: %s reads %s as %s, a YAML boolean; quote it (\"no\") if you mean the word")
          .formatted(path, key, value, value.booleanValue()));
    }
    return value.asText();
  }

  static void refuseUnknown(Path path, JsonNode map, String prefix, Set<String> known) {
    for (Iterator<String> names = map.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new ConfigException("%s: unknown key '%s%s'; %s reads %s"
            .formatted(path, prefix, name, prefix.isEmpty() ? "the file" : prefix.substring(0, prefix.length() - 1), known));
      }
    }
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
