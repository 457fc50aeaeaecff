package dev.party.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.ConfigException;
import dev.party.error.PartyException;
import dev.party.schedule.TimeText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A named data source from the config file's {@code datasources:}: handlers ask for it by name
 * ({@code context.dataSource("reports")}) and never hold host names or passwords (the seeds'
 * {@code kernel.dbapi}). The password is read from an environment variable, or given in the file.
 *
 * <pre>
 * datasources:
 *   reports:
 *     url: jdbc:postgresql://db.internal:5432/reports
 *     user: reporter
 *     password-env: REPORTS_DB_PASSWORD
 *     pool-size: 4
 * </pre>
 */
record DataSourceSettings(String name, String url, String user, String password, String passwordEnv, int poolSize,
    Duration connectTimeout) {
  static final Set<String> KEYS = Set.of("url", "user", "password", "password-env", "pool-size", "connect-timeout");
  static final int DEFAULT_POOL_SIZE = 4;
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  static List<DataSourceSettings> read(Path path, JsonNode map) {
    if (map == null || map.isNull()) return List.of();
    if (!map.isObject()) {
      throw new ConfigException(path + ": datasources must be a map of name to settings, such as {reports: {url: jdbc:postgresql://host/db}}");
    }
    List<DataSourceSettings> all = new ArrayList<>();
    map.fields().forEachRemaining(entry -> all.add(one(path, entry.getKey(), entry.getValue())));
    return List.copyOf(all);
  }

  private static DataSourceSettings one(Path path, String name, JsonNode settings) {
    String where = "%s: datasources.%s".formatted(path, name);
    if (!settings.isObject()) throw new ConfigException(where + " must be a map such as {url: jdbc:postgresql://host/db, user: u}");
    ConfigFile.refuseUnknown(path, settings, "datasources." + name + ".", KEYS);
    String url = text(settings, "url");
    if (url == null || !url.startsWith("jdbc:")) {
      throw new ConfigException(where + ": give its url, a JDBC URL such as jdbc:postgresql://host:5432/db");
    }
    if (text(settings, "password") != null && text(settings, "password-env") != null) {
      throw new ConfigException(where + ": give password or password-env, not both");
    }
    JsonNode pool = settings.get("pool-size");
    if (pool != null && !pool.isNull() && (!pool.isInt() || pool.intValue() < 1)) {
      throw new ConfigException(where + ".pool-size must be a whole number of at least 1, not " + pool);
    }
    Duration connectTimeout;
    try {
      String timeout = text(settings, "connect-timeout");
      connectTimeout = timeout == null ? DEFAULT_CONNECT_TIMEOUT : TimeText.duration(timeout);
    } catch (PartyException e) {
      throw new ConfigException(where + ".connect-timeout: " + e.getMessage());
    }
    if (connectTimeout.toMillis() < 250) throw new ConfigException(where + ".connect-timeout must be at least 250ms");
    return new DataSourceSettings(name, url, text(settings, "user"), text(settings, "password"), text(settings, "password-env"),
        pool == null || pool.isNull() ? DEFAULT_POOL_SIZE : pool.intValue(), connectTimeout);
  }

  private static String text(JsonNode settings, String key) {
    JsonNode value = settings.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  @Override
  public String toString() { // never the password
    return "DataSourceSettings[%s %s user=%s pool=%d]".formatted(name, url, user, poolSize);
  }
}
