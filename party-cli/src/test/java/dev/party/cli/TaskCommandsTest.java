package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** party tasks cancel, retry, run and delete: one task by id; a refusal is one line and exit 2. */
class TaskCommandsTest {
  @TempDir Path dir;

  private String db() {
    return dir.resolve("party.db").toString();
  }

  private String enqueue(String handler, String... options) {
    String[] args = new String[options.length + 4];
    args[0] = "enqueue";
    args[1] = handler;
    System.arraycopy(options, 0, args, 2, options.length);
    args[args.length - 2] = "--db";
    args[args.length - 1] = db();
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out().strip();
  }

  private Optional<TaskView> stored(String id) {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.get(TaskId.of(id));
    }
  }

  private static void assertRefused(CliRun run, String code, String text) {
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err().strip()).startsWith("party: " + code + ": ").contains(text).doesNotContain("\n", "Exception");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void run_runs_a_scheduled_task_now_and_prints_it() {
    String id = enqueue("SampleTask", "--in", "1 day", "--data", "{\"arg1\":\"val1\"}");
    CliRun run = CliRun.of("tasks", "run", id, "--db", db());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(id).containsPattern("state\\s+FINISHED");
    assertThat(stored(id).orElseThrow().state()).isEqualTo(TaskState.FINISHED);
    assertRefused(CliRun.of("tasks", "run", id, "--db", db()), "conflict", "not PENDING");
  }

  @Test
  void cancel_cancels_a_waiting_task_and_refuses_a_final_one() {
    String id = enqueue("SampleTask");
    CliRun cancel = CliRun.of("tasks", "cancel", id, "--db", db());
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    assertThat(cancel.out()).containsPattern("state\\s+CANCELLED");
    assertThat(stored(id).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
    assertRefused(CliRun.of("tasks", "cancel", id, "--db", db()), "conflict", "already CANCELLED");
  }

  @Test
  void retry_puts_a_failed_task_back_and_refuses_any_other() {
    String id = enqueue("AlwaysFails");
    assertThat(CliRun.of("tasks", "run", id, "--db", db()).out()).containsPattern("state\\s+FAILED");
    CliRun retry = CliRun.of("tasks", "retry", id, "--db", db());
    assertThat(retry.exitCode()).as(retry.err()).isZero();
    assertThat(retry.out()).containsPattern("state\\s+ENQUEUED");
    assertThat(stored(id).orElseThrow().state()).isEqualTo(TaskState.PENDING);
    assertRefused(CliRun.of("tasks", "retry", id, "--db", db()), "conflict", "only a FAILED task");
  }

  @Test
  void delete_removes_a_final_task_and_refuses_a_waiting_one() {
    String waiting = enqueue("SampleTask");
    assertRefused(CliRun.of("tasks", "delete", waiting, "--db", db()), "conflict", "cancel it first");
    assertThat(stored(waiting)).isPresent();

    String done = enqueue("SampleTask");
    CliRun.of("tasks", "run", done, "--db", db());
    CliRun delete = CliRun.of("tasks", "delete", done, "--db", db());
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    assertThat(delete.out().strip()).isEqualTo("deleted " + done);
    assertThat(stored(done)).isEmpty();
    assertRefused(CliRun.of("tasks", "show", done, "--db", db()), "not_found", done);
    assertRefused(CliRun.of("tasks", "delete", done, "--db", db()), "not_found", done);
  }

  @Test
  void an_unknown_or_malformed_id_is_one_line_and_exit_2() {
    for (String command : new String[] {"cancel", "retry", "run", "delete"}) {
      assertRefused(CliRun.of("tasks", command, "0123456789abcdef01234567", "--db", db()), "not_found", "0123456789abcdef01234567");
      assertRefused(CliRun.of("tasks", command, "nope", "--db", db()), "invalid_task", "nope");
    }
  }
}
