package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.engine.TaskIds;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that halts its supervised worker process, beside a long innocent task in the same
 * process: the innocent task finishes, the halting one is quarantined with the exit code.
 */
@Tag("slow")
class CrashIsolationProcessTest {
  @TempDir Path dir;

  private SqliteStore store() {
    return SqliteStore.open(dir.resolve("party.db"));
  }

  private TaskView task(TaskId id) {
    try (SqliteStore store = store()) {
      return store.get(id).orElseThrow();
    }
  }

  @Test
  void a_halting_task_is_quarantined_with_its_exit_code_and_the_innocent_task_beside_it_finishes() throws Exception {
    TaskIds ids = new TaskIds(InstantSource.system(), new SplittableRandom(3));
    NewTask innocent = new NewTask(ids.next(), "Nap", "default", "{\"seconds\":5}", 0, null, null, 6, null, null);
    NewTask halting = new NewTask(ids.next(), "Halt", "default", "{\"code\":137}", 0, null, null, 6, null, null);
    try (SqliteStore store = store()) {
      store.insert(new InsertTasks(List.of(innocent, halting), null));
    }

    try (PartyProcess supervisor = PartyProcess.start(dir, Map.of(CrashingTasksModule.ENABLED, "1"), "worker",
        "--processes", "1", "--workers", "2", "--name", "crashy", "--grace", "2s", "--db", dir.resolve("party.db").toString())) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> task(halting.id()).state() == TaskState.FAILED && task(innocent.id()).state() == TaskState.FINISHED);

      TaskView quarantined = task(halting.id());
      assertThat(quarantined.error()).as(supervisor.err()).startsWith("crashed its worker 3 times (exit code 137)");
      TaskView finished = task(innocent.id());
      assertThat(finished.attempts()).as("the crash it shared was not counted against it").isEqualTo(1);
      try (SqliteStore store = store()) {
        assertThat(store.restartedWorkers()).as("one restart per crash, no more").isEqualTo(3);
      }
      assertThat(supervisor.isAlive()).isTrue();
    }
  }
}
