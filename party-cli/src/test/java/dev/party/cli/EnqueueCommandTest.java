package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnqueueCommandTest {
  @TempDir Path dir;

  private String db() {
    return dir.resolve("party.db").toString();
  }

  private List<TaskView> stored() {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.list(TaskQuery.all());
    }
  }

  @Test
  void enqueue_prints_the_new_id_and_stores_the_task() {
    CliRun run = CliRun.of("enqueue", "SampleTask", "--data", "{\"arg1\":\"val1\"}", "--db", db());
    assertThat(run.exitCode()).isZero();
    TaskId id = TaskId.of(run.out().strip());
    assertThat(stored()).singleElement().satisfies(task -> {
      assertThat(task.id()).isEqualTo(id);
      assertThat(task.handler()).isEqualTo("SampleTask");
      assertThat(task.data()).isEqualTo("{\"arg1\":\"val1\"}");
      assertThat(task.state()).isEqualTo(TaskState.PENDING);
    });
  }

  @Test
  void in_and_at_set_the_run_time() {
    Instant before = Instant.now();
    CliRun later = CliRun.of("enqueue", "SampleTask", "--in", "2 hours 30 minutes", "--db", db());
    CliRun at = CliRun.of("enqueue", "SampleTask", "--at", "2030-01-02T03:04:05", "--db", db());
    assertThat(later.exitCode()).isZero();
    assertThat(at.exitCode()).isZero();
    TaskView delayed = stored().stream().filter(t -> t.id().value().equals(later.out().strip())).findFirst().orElseThrow();
    assertThat(delayed.runAt()).isAfterOrEqualTo(before.plus(Duration.ofMinutes(150)).minusSeconds(1));
    TaskView fixed = stored().stream().filter(t -> t.id().value().equals(at.out().strip())).findFirst().orElseThrow();
    assertThat(fixed.runAt()).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
  }

  @Test
  void at_keeps_microseconds_and_tasks_shows_them_and_anything_finer_is_refused() {
    CliRun at = CliRun.of("enqueue", "SampleTask", "--at", "2014-03-11 05:12:22.086400", "--db", db());
    assertThat(at.exitCode()).as(at.err()).isZero();
    assertThat(stored()).singleElement()
        .satisfies(task -> assertThat(task.runAt()).isEqualTo(Instant.parse("2014-03-11T05:12:22.086400Z")));
    CliRun show = CliRun.of("tasks", "show", at.out().strip(), "--db", db());
    assertThat(show.out()).contains("2014-03-11T05:12:22.086400Z");
    CliRun list = CliRun.of("tasks", "list", "--db", db());
    assertThat(list.out()).contains("2014-03-11T05:12:22.086400Z");

    CliRun finer = CliRun.of("enqueue", "SampleTask", "--at", "2014-03-11T05:12:22.086400123Z", "--db", db());
    assertThat(finer.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(finer.err()).contains("bad_timestamp", "finer than a microsecond").doesNotContain("Exception");
    assertThat(finer.err().lines().filter(line -> !line.startsWith("Try ")).count()).isEqualTo(1);
    assertThat(stored()).hasSize(1);
  }

  @Test
  void a_batch_key_prints_the_waiting_tasks_id_and_stores_nothing_new() {
    CliRun first = CliRun.of("enqueue", "SampleTask", "--batch-key", "digest", "--db", db());
    CliRun second = CliRun.of("enqueue", "SampleTask", "--batch-key", "digest", "--data", "{\"n\":2}", "--db", db());
    assertThat(first.exitCode()).isZero();
    assertThat(second.exitCode()).isZero();
    assertThat(second.out().strip()).isEqualTo(first.out().strip());
    assertThat(first.err()).isEmpty();
    assertThat(second.err()).contains("nothing stored").contains("'digest'");
    assertThat(stored()).singleElement().satisfies(task -> assertThat(task.data()).isEqualTo("{}"));

    CliRun empty = CliRun.of("enqueue", "SampleTask", "--batch-key", "", "--db", db());
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err()).startsWith("party: invalid_task: ").contains("batchKey");
    assertThat(stored()).hasSize(1);
  }

  @Test
  void an_instance_key_is_stored_refused_twice_and_shown_by_handler_and_key() {
    CliRun first = CliRun.of("enqueue", "SampleTask", "--instance-key", "Task001", "--db", db());
    assertThat(first.exitCode()).as(first.err()).isZero();
    CliRun second = CliRun.of("enqueue", "SampleTask", "--instance-key", "Task001", "--db", db());
    assertThat(second.exitCode()).isEqualTo(2);
    assertThat(second.err()).startsWith("party: conflict: ").contains("instance key 'Task001'");
    CliRun blank = CliRun.of("enqueue", "SampleTask", "--instance-key", " ", "--db", db());
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).startsWith("party: invalid_task: ").contains("instanceKey");
    assertThat(stored()).singleElement().satisfies(task -> assertThat(task.instanceKey()).isEqualTo("Task001"));

    CliRun shown = CliRun.of("tasks", "show", "--handler", "SampleTask", "--instance", "Task001", "--db", db());
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out()).contains(first.out().strip()).containsPattern("instance\\s+Task001").contains("progress");
    CliRun missing = CliRun.of("tasks", "show", "--handler", "SampleTask", "--instance", "Task002", "--db", db());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no task of handler 'SampleTask' with instance key 'Task002'");
    CliRun neither = CliRun.of("tasks", "show", "--db", db());
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("give a task ID, or --handler and --instance");
  }

  @Test
  void singleton_and_limit_keys_and_priority_are_stored_and_bad_ones_refused() {
    CliRun first = CliRun.of("enqueue", "OneAtATime", "--singleton-key", "reindex:shop", "--priority", "7",
        "--queue", "maint", "--db", db());
    CliRun second = CliRun.of("enqueue", "OneAtATime", "--singleton-key", "reindex:shop", "--db", db());
    CliRun limited = CliRun.of("enqueue", "PerCustomer", "--limit-key", "customer-1", "--db", db());
    assertThat(List.of(first, second, limited)).allSatisfy(run -> assertThat(run.exitCode()).as(run.err()).isZero());
    assertThat(second.out().strip()).as("a singleton key does not fold tasks: both are stored").isNotEqualTo(first.out().strip());
    assertThat(stored()).extracting(TaskView::handler, TaskView::singletonKey, TaskView::limitKey, TaskView::priority,
            TaskView::queue)
        .containsExactlyInAnyOrder(
            Tuple.tuple("OneAtATime", "reindex:shop", null, 7, "maint"),
            Tuple.tuple("OneAtATime", "reindex:shop", null, 0, "default"),
            Tuple.tuple("PerCustomer", null, "customer-1", 0, "default"));
    CliRun shown = CliRun.of("tasks", "show", first.out().strip(), "--db", db());
    assertThat(shown.out()).containsPattern("singleton\\s+reindex:shop");

    for (String[] bad : List.of(
        new String[] {"SampleTask", "--singleton-key", "k"}, new String[] {"OneAtATime", "--singleton-key", " "},
        new String[] {"SampleTask", "--limit-key", "k"}, new String[] {"PerCustomer", "--limit-key", ""},
        new String[] {"SampleTask", "--priority", "high"})) {
      CliRun run = CliRun.of("enqueue", bad[0], bad[1], bad[2], "--db", db());
      assertThat(run.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(run.err().lines().findFirst().orElseThrow()).startsWith("party: ");
    }
    assertThat(stored()).hasSize(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed data   | SampleTask  | --data | {"arg1":       | malformed_json
      data not object  | SampleTask  | --data | [1,2]          | invalid_task
      lone surrogate   | SampleTask  | --data | {"s":"\\ud800"} | malformed_json
      key twice        | SampleTask  | --data | {"a":1,"a":2}  | malformed_json
      trailing text    | SampleTask  | --data | {"a":1} x      | malformed_json
      unknown handler  | SampelTask  | --data | {}             | did you mean 'SampleTask'
      bad time         | SampleTask  | --at   | next tuesday   | cannot read 'next tuesday'
      bad delay        | SampleTask  | --in   | 10 parsecs     | cannot read '10 parsecs'
      """)
  void bad_input_gets_a_one_line_error_exit_2_and_stores_nothing(
      String name, String handler, String option, String value, String expected) {
    CliRun run = CliRun.of("enqueue", handler, option, value, "--db", db());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(run.err().strip().lines().findFirst().orElseThrow()).startsWith("party: ");
    assertThat(run.out()).isEmpty();
    assertThat(stored()).isEmpty();
  }

  @Test
  void showing_an_unknown_or_malformed_id_is_a_clear_error() {
    assertThat(CliRun.of("tasks", "show", "0123456789abcdef01234567", "--db", db()))
        .satisfies(run -> assertThat(run.exitCode()).isEqualTo(2))
        .satisfies(run -> assertThat(run.err()).startsWith("party: not_found: "));
    assertThat(CliRun.of("tasks", "show", "nope", "--db", db()))
        .satisfies(run -> assertThat(run.exitCode()).isEqualTo(2))
        .satisfies(run -> assertThat(run.err()).startsWith("party: invalid_task: "));
  }

  @Test
  void status_and_list_show_what_is_stored() {
    String id = CliRun.of("enqueue", "SampleTask", "--db", db()).out().strip();
    CliRun.of("enqueue", "SlowTask", "--in", "1 day", "--db", db());
    CliRun status = CliRun.of("status", "--db", db());
    assertThat(status.out()).contains("PENDING 2").contains("SampleTask").contains("next " + id);
    CliRun list = CliRun.of("tasks", "list", "--db", db());
    assertThat(list.out()).contains(id).contains("ENQUEUED").contains("SCHEDULED");
  }
}
