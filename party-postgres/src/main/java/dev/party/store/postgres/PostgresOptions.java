package dev.party.store.postgres;

import java.time.Duration;

/**
 * How to reach PostgreSQL.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
 * @param poolSize pooled connections (HikariCP), besides the one LISTEN connection. Default: 10
 * @param connectTimeout how long to wait for a connection before failing. Default: 1.5 s, so that a
 *     request in flight when the database goes away is still answered (503) within 2 s
 */
public record PostgresOptions(String jdbcUrl, int poolSize, Duration connectTimeout) {
  public static final int DEFAULT_POOL_SIZE = 10;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(1500);

  public static PostgresOptions of(String jdbcUrl) {
    return new PostgresOptions(jdbcUrl, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
  }

  public PostgresOptions poolSize(int value) {
    return new PostgresOptions(jdbcUrl, value, connectTimeout);
  }

  /** The URL without a password, for messages and logs. */
  String redactedUrl() {
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
