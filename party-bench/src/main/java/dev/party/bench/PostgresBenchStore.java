package dev.party.bench;

import dev.party.store.TaskStore;
import dev.party.store.postgres.PostgresStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;

/** One schema per scenario ({@code party_bench_<scenario>}) in the database at {@code url}. */
final class PostgresBenchStore implements BenchStore {
  private final String url;
  private final Set<String> schemas = new LinkedHashSet<>();

  PostgresBenchStore(String url) {
    this.url = url;
  }

  @Override
  public String description() {
    try (Connection connection = DriverManager.getConnection(url);
        Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SHOW server_version")) {
      rows.next();
      return "PostgreSQL " + rows.getString(1) + " on 127.0.0.1";
    } catch (SQLException e) {
      return "PostgreSQL";
    }
  }

  @Override
  public TaskStore open(String scenario) throws SQLException {
    String schema = "party_bench_" + scenario;
    execute(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    execute(url, "CREATE SCHEMA " + schema);
    schemas.add(schema);
    return PostgresStore.open(dbArgument(scenario));
  }

  @Override
  public String dbArgument(String scenario) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=party_bench_" + scenario;
  }

  /** Table, indexes and TOAST of both tables, after a VACUUM so dead rows are not counted. */
  @Override
  public long storedBytes(String scenario) throws SQLException {
    try (Connection connection = DriverManager.getConnection(dbArgument(scenario));
        Statement sql = connection.createStatement()) {
      sql.execute("VACUUM party_task");
      try (ResultSet rows = sql.executeQuery(
          "SELECT pg_total_relation_size('party_task') + pg_total_relation_size('party_task_log')")) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    for (String schema : schemas) execute(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private static void execute(String url, String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }
}
