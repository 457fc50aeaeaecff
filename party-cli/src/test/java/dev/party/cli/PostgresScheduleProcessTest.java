package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.Party;
import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleView;
import dev.party.store.postgres.PostgresStore;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import dev.party.testkit.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-second schedule fired by seven schedulers at once, on the real clock: three worker JVMs
 * and four engines in this JVM, each with its own connection pool, over one PostgreSQL database.
 * 100 periods must give exactly 100 tasks, one per period, each run once.
 */
@Tag("slow")
class PostgresScheduleProcessTest {
  private static final int PERIODS = 100;

  @TempDir Path dir;
  private PostgresSchema schema;
  private String url;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void prepare() throws Exception {
    schema = PostgresSchema.create();
    url = schema.url() + "&ApplicationName=party-test-schedules";
    try (Connection connection = schema.connect(); Statement sql = connection.createStatement()) {
      sql.execute(RecordedRunsModule.CREATE_TABLE);
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    schema.close();
  }

  /** An engine that fires schedules and claims nothing: its only queue is empty. */
  private Party schedulerInThisJvm(int index) {
    PostgresStore store = PostgresStore.open(url);
    closing.add(store);
    Party party = Party.builder(store).workerId("in-jvm-scheduler-" + index).queues(Set.of("nothing-here"))
        .handlers(h -> h.handler("RecordedTask", context -> Outcome.done())).build();
    closing.add(party);
    return party;
  }

  @Test
  void seven_schedulers_fire_each_of_100_one_second_periods_exactly_once() throws Exception {
    for (int i = 1; i <= 3; i++) {
      closing.add(PartyProcess.start(dir, Map.of(RecordedRunsModule.RUNS_URL, schema.url()),
          "worker", "--db", url, "--name", "pg-scheduler-" + i, "--workers", "2"));
    }
    List<Party> inJvm = new ArrayList<>();
    for (int i = 1; i <= 4; i++) inJvm.add(schedulerInThisJvm(i));
    ScheduleView tick = inJvm.getFirst().schedule(
        // Catch-up and overlap allowed: a firing delayed past a period by a busy machine stores
        // that period late instead of skipping it, so the count measures exactly-once alone.
        Schedule.every("1 second", TaskRequest.of("RecordedTask")).named("tick")
            .overlap(Overlap.ALLOW).misfire(Misfire.CATCH_UP));
    inJvm.forEach(Party::start);
    Instant first = tick.nextRunAt();
    Instant last = first.plusSeconds(PERIODS - 1);

    await().atMost(Duration.ofSeconds(PERIODS + 60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> runsUpTo(last) == PERIODS);

    assertThat(count("SELECT count(*) FROM party_task WHERE run_at BETWEEN ? AND ?", first, last)).isEqualTo(PERIODS);
    assertThat(count("SELECT count(DISTINCT run_at) FROM party_task WHERE run_at BETWEEN ? AND ?", first, last))
        .isEqualTo(PERIODS);
    assertThat(count("SELECT count(*) FROM party_task WHERE run_at < ?", first, null)).isZero();
    assertThat(count("""
        SELECT count(*) FROM party_test_runs r JOIN party_task t ON t.id = r.task_id
         WHERE t.run_at BETWEEN ? AND ?""", first, last)).as("each task ran once").isEqualTo(PERIODS);
    assertThat(count("""
        SELECT count(*) FROM party_task
         WHERE run_at BETWEEN ? AND ? AND (extract(epoch FROM run_at - ?::timestamptz) * 1000)::bigint % 1000 <> 0""",
        first, last, first)).as("every task sits on the one-second grid").isZero();
  }

  private long runsUpTo(Instant last) throws SQLException {
    return count("""
        SELECT count(DISTINCT r.task_id) FROM party_test_runs r JOIN party_task t ON t.id = r.task_id
         WHERE t.run_at <= ?""", last, null);
  }

  private long count(String sql, Instant... times) throws SQLException {
    try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
      int index = 1;
      for (Instant time : times) {
        if (time != null) query.setObject(index++, time.atOffset(ZoneOffset.UTC));
      }
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
