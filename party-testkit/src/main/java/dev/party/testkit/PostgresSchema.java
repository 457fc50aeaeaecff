package dev.party.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A schema of its own on the real local PostgreSQL, so tests never see each other's tasks; closing
 * drops it. Plain JDBC: the PostgreSQL driver comes from the test's own classpath.
 * URL from {@code PARTY_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}.
 */
public final class PostgresSchema implements AutoCloseable {
  public static final String BASE_URL = System.getenv().getOrDefault(
      "PARTY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private final String schema;

  private PostgresSchema(String schema) {
    this.schema = schema;
  }

  public static PostgresSchema create() throws SQLException {
    String schema = "party_t_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection connection = DriverManager.getConnection(BASE_URL);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    return new PostgresSchema(schema);
  }

  /** A URL whose connections see only this schema. */
  public String url() {
    return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** This schema's URL with the server's address replaced by 127.0.0.1:{@code port} (a {@link TcpProxy}, say). */
  public String urlThrough(int port) {
    return url().replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
  }

  /** The host of the server in {@link #BASE_URL}. */
  public static String host() {
    return address().replaceFirst(":\\d+$", "");
  }

  /** The port of the server in {@link #BASE_URL}; 5432 when it names none. */
  public static int port() {
    String address = address();
    int colon = address.lastIndexOf(':');
    return colon < 0 ? 5432 : Integer.parseInt(address.substring(colon + 1));
  }

  private static String address() {
    String rest = BASE_URL.substring(BASE_URL.indexOf("//") + 2);
    return rest.substring(0, rest.indexOf('/'));
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  @Override
  public void close() throws SQLException {
    try (Connection connection = DriverManager.getConnection(BASE_URL);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
