package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.store.postgres.PostgresStore;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import dev.party.task.TaskType;
import dev.party.testkit.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A concurrency limit holds across three worker JVMs that share one PostgreSQL database. */
@Tag("slow")
class PostgresLimitsProcessTest {
  private static final int TASKS = 40;
  private static final int LIMIT = 2;

  @TempDir Path dir;
  private PostgresSchema schema;
  private final List<PartyProcess> workers = new ArrayList<>();

  @BeforeEach
  void prepare() throws Exception {
    schema = PostgresSchema.create();
    try (Connection connection = schema.connect(); Statement sql = connection.createStatement()) {
      sql.execute(RecordedRunsModule.CREATE_TABLE);
      sql.execute(RecordedRunsModule.CREATE_SPANS);
    }
    try (PostgresStore store = PostgresStore.open(schema.url());
        Party party = Party.builder(store)
            .handlers(h -> h.handler(TaskType.of("LimitedTask").concurrency(LIMIT), JsonNode.class, c -> Outcome.done()))
            .build()) {
      List<TaskRequest> batch = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) batch.add(TaskRequest.of("LimitedTask", Map.of("ms", 150)));
      party.enqueueAll(batch);
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (PartyProcess worker : workers) worker.close();
    schema.close();
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /**
   * One worker per process, so no process can run two at once by itself: three could run three,
   * and only the limit, counted across processes, keeps it to two.
   */
  @Test
  void a_concurrency_limit_of_two_holds_across_three_worker_processes() throws Exception {
    for (int i = 1; i <= 3; i++) {
      workers.add(PartyProcess.start(dir,
          Map.of(RecordedRunsModule.RUNS_URL, schema.url(), RecordedRunsModule.LIMITED, String.valueOf(LIMIT)),
          "worker", "--db", schema.url(), "--name", "limited-" + i, "--workers", "1"));
    }
    await().atMost(Duration.ofSeconds(50))
        .until(() -> count("SELECT count(*) FROM party_task WHERE state = 'FINISHED'") == TASKS);

    assertThat(count("SELECT count(*) FROM party_test_spans WHERE ended_at IS NOT NULL")).isEqualTo(TASKS);
    // The most runs seen at once: for each start, the runs that had started and not yet ended.
    long overlap = count("""
        SELECT max(n) FROM (
          SELECT (SELECT count(*) FROM party_test_spans o
                   WHERE o.started_at <= s.started_at AND o.ended_at > s.started_at) AS n
            FROM party_test_spans s) spans""");
    long nodes = count("SELECT count(DISTINCT worker) FROM party_test_spans");
    System.out.printf("limited runs: %d, most at once: %d, worker processes that ran some: %d%n", TASKS, overlap, nodes);
    assertThat(overlap).isEqualTo(LIMIT);
    assertThat(nodes).as("two runs at once came from two processes").isGreaterThan(1);
    assertThat(count("SELECT max(attempts) FROM party_task")).isEqualTo(1);
  }
}
