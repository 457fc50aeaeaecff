package dev.party.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.CleanupConfig;
import dev.party.Party;
import dev.party.cleanup.CleanupResult;
import dev.party.json.Json;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import dev.party.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dump files: 25 MB of finished tasks end as at most 20 files of at most 5 MB, no line lost or broken. */
class SqliteCleanupDumpTest {
  private static final long FIVE_MB = 5L * 1024 * 1024;
  @TempDir Path dir;

  @Test
  void dumps_rotate_at_5_mb_keeping_20_files_and_every_deleted_task_is_a_valid_line() throws Exception {
    MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
    Path completed = dir.resolve("dumps/completed.log");
    Path failed = dir.resolve("dumps/failed.log");
    String payload = "x".repeat(250_000);
    int tasks = 110; // about 27.5 MB of lines
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db"), SqliteStore.Durability.NORMAL, clock);
        Party party = Party.builder(store).clock(clock).workers(1)
            .cleanup(CleanupConfig.defaults().dumps(completed, failed).batchSize(25))
            .handlers(h -> h.handler("big", c -> c.data().path("n").asInt() % 10 == 0
                ? Outcome.giveUp("every tenth fails") : Outcome.done()))
            .build()) {
      List<TaskRequest> requests = new ArrayList<>();
      for (int i = 0; i < tasks; i++) requests.add(TaskRequest.of("big", Map.of("n", i, "payload", payload)));
      party.enqueueAll(requests);
      assertThat(party.runDue()).isEqualTo(tasks);
      clock.advance(Duration.ofDays(8));

      CleanupResult result = party.cleanup();

      assertThat(result.deleted()).isEqualTo(tasks);
      assertThat(result.completed()).isEqualTo(99);
      assertThat(result.failed()).isEqualTo(11);
      assertThat(party.status().finished()).isEmpty();

      List<Path> completedFiles = files(completed);
      assertThat(completedFiles).hasSizeBetween(2, 20).contains(completed, completed.resolveSibling("completed.log.1"));
      long lines = 0;
      Set<String> ids = new HashSet<>();
      for (Path file : completedFiles) {
        assertThat(Files.size(file)).isLessThanOrEqualTo(FIVE_MB);
        for (String line : Files.readAllLines(file)) {
          var json = Json.parse(line);
          assertThat(json.path("state").asText()).isEqualTo("FINISHED");
          assertThat(json.path("log").size()).isGreaterThanOrEqualTo(3);
          ids.add(json.path("id").asText());
          lines++;
        }
      }
      for (String line : Files.readAllLines(failed)) {
        assertThat(Json.parse(line).path("state").asText()).isEqualTo("FAILED");
        ids.add(Json.parse(line).path("id").asText());
        lines++;
      }
      assertThat(lines).as("dumped lines = deleted tasks").isEqualTo(result.deleted());
      assertThat(ids).hasSize(tasks);
      assertThat(party.lastCleanup().orElseThrow().totalCompleted()).isEqualTo(99);
    }
  }

  private static List<Path> files(Path base) throws Exception {
    try (Stream<Path> all = Files.list(base.getParent())) {
      return all.filter(p -> p.getFileName().toString().startsWith(base.getFileName().toString())).sorted().toList();
    }
  }
}
