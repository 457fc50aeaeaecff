package dev.party.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import dev.party.task.TaskType;
import dev.party.testkit.PostgresSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rate limit of 10 starts per second, on the real clock, held by two engines (two nodes) on one
 * database for over 30 seconds. Starts are counted per one-second window from the task log, whose
 * claim times are the times the store counted the windows by.
 */
@Tag("slow")
class PostgresRateLimitTest {
  private static final int PER_SECOND = 10;
  private static final int TASKS = 320;
  private static final TaskType PINGS = TaskType.of("ping").rateLimit(PER_SECOND, Duration.ofSeconds(1));

  private PostgresSchema database;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    database = PostgresSchema.create();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    database.close();
  }

  private Party node(String name) {
    PostgresStore store = PostgresStore.open(database.url());
    closing.add(store);
    Party party = Party.builder(store).workerId(name).workers(4).pollInterval(Duration.ofMillis(100))
        .handlers(h -> h.handler(PINGS, JsonNode.class, context -> Outcome.done()))
        .build();
    closing.add(party);
    return party;
  }

  private List<long[]> startsPerSecond() throws SQLException {
    List<long[]> windows = new ArrayList<>();
    try (Connection connection = database.connect(); Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("""
            SELECT extract(epoch FROM date_trunc('second', at))::bigint, count(*) FROM party_task_log
             WHERE to_state = 'RUNNING' GROUP BY 1 ORDER BY 1""")) {
      while (rows.next()) windows.add(new long[] {rows.getLong(1), rows.getLong(2)});
    }
    return windows;
  }

  private long finished() throws SQLException {
    try (Connection connection = database.connect(); Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT count(*) FROM party_task WHERE state = 'FINISHED'")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void ten_starts_per_second_hold_for_thirty_seconds_across_two_nodes() throws Exception {
    Party first = node("rate-1");
    Party second = node("rate-2");
    List<TaskRequest> pings = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) pings.add(TaskRequest.of("ping"));
    first.enqueueAll(pings);
    first.start();
    second.start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> finished() == TASKS);

    List<long[]> windows = startsPerSecond();
    System.out.printf("starts per one-second window: %s%n",
        windows.stream().map(w -> String.valueOf(w[1])).toList());
    assertThat(windows.stream().mapToLong(w -> w[1]).sum()).isEqualTo(TASKS);
    assertThat(windows).allSatisfy(w -> assertThat(w[1]).isLessThanOrEqualTo(PER_SECOND));
    // The first and last windows are partial: the run began and ended inside them.
    List<long[]> full = windows.subList(1, windows.size() - 1);
    assertThat(full.size()).isGreaterThanOrEqualTo(29);
    assertThat(full).allSatisfy(w -> assertThat(w[1]).isBetween((long) PER_SECOND - 1, (long) PER_SECOND));
  }
}
