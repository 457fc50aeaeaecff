package dev.party.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.Party;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** Handlers reach databases by the name the node gives them, never by host name (the seeds' kernel.dbapi). */
class NamedDataSourceTest {
  @TempDir Path dir;

  @Test
  void a_handler_gets_a_data_source_by_name_and_an_unknown_name_fails_the_attempt_clearly() throws Exception {
    SQLiteDataSource reports = new SQLiteDataSource();
    reports.setUrl("jdbc:sqlite:" + dir.resolve("reports.db"));
    try (Connection connection = reports.getConnection(); Statement sql = connection.createStatement()) {
      sql.execute("CREATE TABLE report (n int)");
      sql.execute("INSERT INTO report VALUES (41), (1)");
    }
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db"));
        Party party = Party.builder(store).dataSource("reports", reports).handlers(h -> h
            .handler("sum", context -> {
              try (Connection connection = context.dataSource("reports").getConnection();
                  Statement sql = connection.createStatement();
                  ResultSet rows = sql.executeQuery("SELECT sum(n) FROM report")) {
                rows.next();
                return Outcome.done(rows.getInt(1));
              }
            })
            .handler("lost", context -> Outcome.done(context.dataSource("billing").toString()))).build()) {
      TaskId sum = party.enqueue(TaskRequest.of("sum"));
      TaskId lost = party.enqueue(TaskRequest.of("lost").maxAttempts(1));
      party.runDue();
      assertThat(party.task(sum).orElseThrow().result()).isEqualTo("42");
      assertThat(party.task(lost).orElseThrow().state()).isEqualTo(TaskState.FAILED);
      assertThat(party.task(lost).orElseThrow().error()).contains("no data source named 'billing'; this node has [reports]");
    }
  }
}
