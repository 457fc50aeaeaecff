package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.Claim;
import dev.party.store.RegisterWorker;
import dev.party.store.WorkerRef;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** party workers and the workers line of party status, in process, on a real SQLite file. */
class WorkersCommandTest {
  @TempDir Path dir;

  private String db() {
    return dir.resolve("party.db").toString();
  }

  @Test
  void an_empty_registry_says_so() {
    CliRun run = CliRun.of("workers", "--db", db());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("no workers registered in the last day");
  }

  @Test
  void live_dead_and_stopped_workers_are_listed_with_their_running_tasks() {
    Instant now = Instant.now();
    TaskId running;
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      store.registerWorker(new RegisterWorker("web-1", "web", 101, List.of("mail", "video"), 4, null, Duration.ofSeconds(10), now));
      store.registerWorker(new RegisterWorker("web-2", "web", 102, List.of(), 2, null, Duration.ofSeconds(10),
          now.minus(Duration.ofMinutes(10))));
      store.registerWorker(new RegisterWorker("web-3", "web", 103, List.of(), 2, null, Duration.ofSeconds(10), now));
      store.stopWorker(new WorkerRef("web-3", now));
      assertThat(CliRun.of("enqueue", "--db", db(), "SampleTask").exitCode()).isZero();
      running = store.claim(new Claim("web-1", Set.of("SampleTask"), null, 1, Duration.ofMinutes(1), null, Map.of()))
          .getFirst().task().id();
    }

    CliRun run = CliRun.of("workers", "--db", db());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().toList())
        .anySatisfy(line -> assertThat(line).startsWith("web-1").contains(" live ", "mail,video").containsPattern(" 1 +mail"))
        .anySatisfy(line -> assertThat(line).startsWith("web-2").contains(" dead ", "(all)"))
        .anySatisfy(line -> assertThat(line).startsWith("web-3").contains(" stopped "))
        .anySatisfy(line -> assertThat(line).isEqualTo("    running: " + running.value()))
        .contains("1 live, 1 dead, 1 stopped");

    CliRun status = CliRun.of("status", "--db", db());
    assertThat(status.out()).contains("workers: 1 live, 1 dead, 1 stopped");
  }
}
