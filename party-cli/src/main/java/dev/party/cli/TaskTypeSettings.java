package dev.party.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.ConfigException;
import dev.party.error.PartyException;
import dev.party.schedule.TimeText;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One handler's settings from the config file's {@code task-types:}, laid over what its code
 * declares (see {@link dev.party.PartyBuilder#taskType}). A key left out keeps the code's value.
 *
 * <pre>
 * task-types:
 *   SendEmail: {max-attempts: 3, timeout: 1 minute, rate-limit: 100 per minute}
 *   Transcode: {concurrency: 2, lease: 5 minutes, retention: 1 day}
 * </pre>
 */
record TaskTypeSettings(
    String handler,
    Integer maxAttempts,
    Duration timeout,
    Duration lease,
    Duration retention,
    Integer capacity,
    Integer concurrency,
    RateLimitText rateLimit,
    SingletonPolicy singleton) {

  static final Set<String> KEYS = Set.of("max-attempts", "timeout", "lease", "retention", "capacity", "concurrency",
      "rate-limit", "singleton");

  /** {@code 100 per minute}, {@code 5 per 30 seconds}, {@code 10/1h}. */
  record RateLimitText(int starts, Duration window) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*(?:per|/)\\s*(.+)");

    static RateLimitText parse(String text) {
      Matcher match = TEXT.matcher(text.strip());
      if (!match.matches()) {
        throw new ConfigException("give a rate limit as STARTS per WINDOW, such as '100 per minute', not '" + text + "'");
      }
      String window = match.group(2).strip();
      // "per minute" reads as "per 1 minute"
      if (Character.isLetter(window.charAt(0)) && !window.toUpperCase(Locale.ROOT).startsWith("P")) window = "1 " + window;
      return new RateLimitText(Integer.parseInt(match.group(1)), TimeText.duration(window));
    }
  }

  /** How this handler's declared type changes. */
  UnaryOperator<TaskType> change() {
    return type -> {
      TaskType changed = type;
      if (maxAttempts != null) changed = changed.maxAttempts(maxAttempts);
      if (timeout != null) changed = changed.timeout(timeout);
      if (lease != null) changed = changed.lease(lease);
      if (retention != null) changed = changed.retention(retention);
      if (capacity != null) changed = changed.capacity(capacity);
      if (concurrency != null) changed = changed.concurrency(concurrency);
      if (rateLimit != null) changed = changed.rateLimit(rateLimit.starts(), rateLimit.window());
      if (singleton != null) changed = changed.singleton(singleton);
      return changed;
    };
  }

  static List<TaskTypeSettings> read(Path path, JsonNode map) {
    if (map == null || map.isNull()) return List.of();
    if (!map.isObject()) {
      throw new ConfigException(path + ": task-types must be a map of handler name to settings, such as {SendEmail: {max-attempts: 3}}");
    }
    List<TaskTypeSettings> all = new ArrayList<>();
    map.fields().forEachRemaining(entry -> all.add(one(path, entry.getKey(), entry.getValue())));
    return List.copyOf(all);
  }

  private static TaskTypeSettings one(Path path, String handler, JsonNode settings) {
    String where = "%s: task-types.%s".formatted(path, handler);
    if (!settings.isObject()) throw new ConfigException(where + " must be a map of settings, such as {max-attempts: 3}");
    ConfigFile.refuseUnknown(path, settings, "task-types." + handler + ".", KEYS);
    try {
      var read = new TaskTypeSettings(handler, whole(settings, "max-attempts"), duration(settings, "timeout"),
          duration(settings, "lease"), duration(settings, "retention"), whole(settings, "capacity"),
          whole(settings, "concurrency"), text(settings, "rate-limit") == null ? null : RateLimitText.parse(text(settings, "rate-limit")),
          singleton(text(settings, "singleton")));
      read.change().apply(TaskType.of(handler)); // the type's own rules (attempts from 1, positive times...), now
      return read;
    } catch (PartyException | IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }

  private static String text(JsonNode settings, String key) {
    JsonNode value = settings.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Integer whole(JsonNode settings, String key) {
    JsonNode value = settings.get(key);
    if (value == null || value.isNull()) return null;
    if (!value.isInt()) throw new ConfigException(key + " must be a whole number, not " + value);
    return value.intValue();
  }

  private static Duration duration(JsonNode settings, String key) {
    String text = text(settings, key);
    return text == null ? null : TimeText.duration(text);
  }

  private static SingletonPolicy singleton(String text) {
    if (text == null) return null;
    try {
      return SingletonPolicy.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("singleton must be skip or wait, not '" + text + "'");
    }
  }
}
