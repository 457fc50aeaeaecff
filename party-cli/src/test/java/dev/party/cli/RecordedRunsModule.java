package dev.party.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.TaskModule;
import dev.party.task.TaskType;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * Test-only handlers, found by child JVMs on the test classpath. {@code RecordedTask} writes a row
 * per run (task id, attempt, worker) into {@code party_test_runs} of the database named by
 * {@code PARTY_TEST_RUNS_URL}; without that variable it is not registered. {@code LimitedTask},
 * registered only when {@code PARTY_TEST_LIMITED} also gives its concurrency limit, writes a row
 * per run into {@code party_test_spans} with its start and end on the database's clock.
 */
public final class RecordedRunsModule implements TaskModule {
  static final String RUNS_URL = "PARTY_TEST_RUNS_URL";
  static final String LIMITED = "PARTY_TEST_LIMITED";
  static final String CREATE_SPANS = """
      CREATE TABLE party_test_spans (
        task_id text NOT NULL, worker text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(), ended_at timestamptz)""";
  static final String CREATE_TABLE = """
      CREATE TABLE party_test_runs (
        task_id text NOT NULL, attempt int NOT NULL, worker text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp())""";

  @Override
  public void register(Handlers handlers) {
    String url = System.getenv(RUNS_URL);
    if (url == null) return;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    config.setPoolName("test-runs");
    HikariDataSource runs = new HikariDataSource(config);
    handlers.handler("RecordedTask", context -> {
      try (Connection connection = runs.getConnection();
          PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO party_test_runs (task_id, attempt, worker) VALUES (?, ?, ?)")) {
        insert.setString(1, context.id().value());
        insert.setInt(2, context.attempts());
        insert.setString(3, context.workerId());
        insert.executeUpdate();
      }
      int millis = context.data().path("ms").asInt(0);
      if (millis > 0) Thread.sleep(millis);
      return Outcome.done();
    });
    String limited = System.getenv(LIMITED);
    if (limited != null) registerLimited(handlers, runs, Integer.parseInt(limited));
  }

  /** Its span starts after the claim and ends before the finish is written: inside its RUNNING time. */
  private static void registerLimited(Handlers handlers, HikariDataSource runs, int concurrency) {
    handlers.handler(TaskType.of("LimitedTask").concurrency(concurrency), JsonNode.class, context -> {
      try (Connection connection = runs.getConnection();
          PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO party_test_spans (task_id, worker) VALUES (?, ?)")) {
        insert.setString(1, context.id().value());
        insert.setString(2, context.workerId());
        insert.executeUpdate();
      }
      Thread.sleep(context.data().path("ms").asInt(0));
      try (Connection connection = runs.getConnection();
          PreparedStatement end = connection.prepareStatement(
              "UPDATE party_test_spans SET ended_at = clock_timestamp() WHERE task_id = ?")) {
        end.setString(1, context.id().value());
        end.executeUpdate();
      }
      return Outcome.done();
    });
  }
}
