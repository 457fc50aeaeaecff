package dev.party.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.party.PartyBuilder;
import dev.party.error.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config file's data sources, each a HikariCP pool, handed to the Party by name. The command
 * that opens them closes them, after the Party. A pool opens no connection until a handler asks
 * for one, so a database that is down at start stops only the tasks that need it, not the worker.
 */
final class NamedDataSources implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NamedDataSources.class);

  private final Map<String, HikariDataSource> pools;

  private NamedDataSources(Map<String, HikariDataSource> pools) {
    this.pools = pools;
  }

  /**
   * Opens a pool for each; a password from {@code password-env} is read from {@code env}.
   *
   * @throws ConfigException when a password variable is not set, or a URL has no driver here
   */
  static NamedDataSources open(List<DataSourceSettings> settings, Map<String, String> env) {
    Map<String, HikariDataSource> pools = new LinkedHashMap<>();
    try {
      for (DataSourceSettings source : settings) pools.put(source.name(), pool(source, env));
    } catch (RuntimeException e) {
      pools.values().forEach(HikariDataSource::close);
      throw e;
    }
    return new NamedDataSources(pools);
  }

  private static HikariDataSource pool(DataSourceSettings source, Map<String, String> env) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("party-ds-" + source.name());
    config.setJdbcUrl(source.url());
    if (source.user() != null) config.setUsername(source.user());
    config.setPassword(password(source, env));
    config.setMaximumPoolSize(source.poolSize());
    config.setMinimumIdle(0); // no connection until a handler asks: a database down at start fails only its tasks
    config.setConnectionTimeout(source.connectTimeout().toMillis());
    config.setInitializationFailTimeout(-1);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) { // no driver for the URL, a malformed URL
      throw new ConfigException("datasources.%s: %s".formatted(source.name(), e.getMessage()));
    }
  }

  private static String password(DataSourceSettings source, Map<String, String> env) {
    if (source.passwordEnv() == null) return source.password();
    String password = env.get(source.passwordEnv());
    if (password == null) {
      throw new ConfigException("datasources.%s: its password-env %s is not set".formatted(source.name(), source.passwordEnv()));
    }
    return password;
  }

  PartyBuilder applyTo(PartyBuilder builder) {
    pools.forEach(builder::dataSource);
    return builder;
  }

  @Override
  public void close() {
    pools.forEach((name, pool) -> {
      try {
        pool.close();
      } catch (RuntimeException e) {
        log.warn("closing data source {}: {}", name, e.toString());
      }
    });
  }
}
