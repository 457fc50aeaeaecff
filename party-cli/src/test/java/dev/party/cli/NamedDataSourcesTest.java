package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.Party;
import dev.party.error.ConfigException;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.testkit.PostgresSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's data sources: HikariCP pools on the real PostgreSQL, handed to handlers by name. */
class NamedDataSourcesTest {
  @TempDir Path dir;

  private ConfigFile config(String yaml) throws IOException {
    return ConfigFile.read(Files.writeString(dir.resolve("party.yaml"), yaml));
  }

  @Test
  void a_handler_queries_a_database_it_knows_only_by_name() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create()) {
      try (Connection connection = schema.connect(); Statement sql = connection.createStatement()) {
        sql.execute("CREATE TABLE report (n int)");
        sql.execute("INSERT INTO report VALUES (40), (2)");
      }
      ConfigFile file = config("""
          datasources:
            reports:
              url: "%s"
              password-env: REPORTS_PASSWORD
              pool-size: 2
          """.formatted(schema.url()));
      try (NamedDataSources sources = NamedDataSources.open(file.dataSources(), Map.of("REPORTS_PASSWORD", "unused-by-trust-auth"));
          SqliteStore store = SqliteStore.open(dir.resolve("party.db"));
          Party party = sources.applyTo(Party.builder(store)).handlers(h -> h.handler("SumReport", context -> {
            try (Connection connection = context.dataSource("reports").getConnection();
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("SELECT sum(n) FROM report")) {
              rows.next();
              return Outcome.done(rows.getInt(1));
            }
          })).build()) {
        TaskId id = party.enqueue(TaskRequest.of("SumReport"));
        party.runDue();
        assertThat(party.task(id).orElseThrow().result()).isEqualTo("42");
      }
    }
  }

  @Test
  void a_database_down_at_start_fails_only_the_tasks_that_need_it() throws Exception {
    ConfigFile file = config("""
        datasources:
          billing: {url: "jdbc:postgresql://127.0.0.1:1/nowhere?user=postgres", connect-timeout: 500ms}
        """);
    try (NamedDataSources sources = NamedDataSources.open(file.dataSources(), Map.of());
        SqliteStore store = SqliteStore.open(dir.resolve("party.db"));
        Party party = sources.applyTo(Party.builder(store)).handlers(h -> h
            .handler("Bill", context -> {
              try (Connection connection = context.dataSource("billing").getConnection()) {
                return Outcome.done();
              }
            })
            .handler("Other", context -> Outcome.done())).build()) {
      TaskId bill = party.enqueue(TaskRequest.of("Bill").maxAttempts(1));
      TaskId other = party.enqueue(TaskRequest.of("Other"));
      party.runDue();
      assertThat(party.task(other).orElseThrow().state()).isEqualTo(TaskState.FINISHED);
      assertThat(party.task(bill).orElseThrow().state()).isEqualTo(TaskState.FAILED);
      assertThat(party.task(bill).orElseThrow().error()).contains(SQLException.class.getSimpleName());
    }
  }

  @Test
  void a_password_variable_that_is_not_set_stops_the_start_and_the_password_never_shows() throws IOException {
    ConfigFile file = config("""
        datasources:
          reports: {url: "jdbc:postgresql://127.0.0.1:5432/test", user: reporter, password-env: NOT_SET_ANYWHERE}
          audit: {url: "jdbc:postgresql://127.0.0.1:5432/test", password: s3cret-in-file}
        """);
    assertThatThrownBy(() -> NamedDataSources.open(file.dataSources(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("datasources.reports: its password-env NOT_SET_ANYWHERE is not set");
    assertThat(file.dataSources().toString()).doesNotContain("s3cret");

    CliRun run = CliRun.withEnv(Map.of(), "worker", "--drain", "--config", dir.resolve("party.yaml").toString(),
        "--db", dir.resolve("p.db").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("NOT_SET_ANYWHERE is not set").doesNotContain("\tat ");
    assertThat(dir.resolve("p.db")).doesNotExist();
  }

  @Test
  void a_url_without_a_driver_here_is_refused_by_name() throws IOException {
    ConfigFile file = config("datasources:\n  legacy: {url: \"jdbc:oracle:thin:@db:1521/x\"}\n");
    assertThatThrownBy(() -> NamedDataSources.open(file.dataSources(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("datasources.legacy: ");
  }
}
