package dev.party.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.TaskModule;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * Test-only handlers, found by child JVMs on the test classpath. {@code RecordedTask} writes a row
 * per run (task id, attempt, worker) into {@code party_test_runs} of the database named by
 * {@code PARTY_TEST_RUNS_URL}; without that variable it is not registered.
 */
public final class RecordedRunsModule implements TaskModule {
  static final String RUNS_URL = "PARTY_TEST_RUNS_URL";
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
  }
}
