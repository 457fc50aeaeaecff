package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queues with their own worker counts: {@code --queue NAME=N} and the config file's {@code queues:}. */
class QueueOptionsTest {
  @TempDir Path dir;

  private Path db() {
    return dir.resolve("party.db");
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("party.yaml"), yaml);
  }

  private CliRun worker(String... extra) {
    List<String> args = new ArrayList<>(List.of("worker", "--drain", "--name", "queues-test", "--db", db().toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private void enqueue(String queue) {
    assertThat(CliRun.of("enqueue", "NoopTask", "--queue", queue, "--db", db().toString()).exitCode()).isZero();
  }

  private Map<String, TaskState> stateByQueue() {
    try (var store = SqliteStore.open(db())) {
      return store.list(TaskQuery.all()).stream().collect(Collectors.toMap(TaskView::queue, TaskView::state));
    }
  }

  @Test
  void the_files_queues_are_the_ones_served_and_queue_flags_win_over_them() throws IOException {
    Path file = config("queues: {fast: 2, slow: 1}\n");
    for (String queue : List.of("fast", "slow", "other")) enqueue(queue);

    CliRun run = worker("--config", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(stateByQueue()).containsEntry("fast", TaskState.FINISHED).containsEntry("slow", TaskState.FINISHED)
        .containsEntry("other", TaskState.PENDING);

    CliRun flags = worker("--config", file.toString(), "--queue", "other=1");
    assertThat(flags.exitCode()).as(flags.err()).isZero();
    assertThat(stateByQueue()).containsEntry("other", TaskState.FINISHED);
  }

  @Test
  void workers_or_queues_flags_also_win_over_the_files_queues() throws IOException {
    Path file = config("queues: {fast: 2}\n");
    enqueue("other");
    assertThat(worker("--config", file.toString(), "--workers", "2").exitCode()).isZero();
    assertThat(stateByQueue()).containsEntry("other", TaskState.FINISHED);
  }

  @Test
  void bad_queue_flags_are_refused_before_the_store_opens() {
    assertRefused(worker("--queue", "video"), "--queue video: give NAME=N");
    assertRefused(worker("--queue", "video=0"), "queue 'video' needs at least 1 worker, not 0");
    assertRefused(worker("--queue", "video=-3"), "queue 'video' needs at least 1 worker, not -3");
    assertRefused(worker("--queue", "video=two"), "the worker count must be a whole number, not 'two'");
    assertRefused(worker("--queue", "video=99999999999"), "whole number");
    assertRefused(worker("--queue", "=2"), "a queue name must not be blank");
    assertRefused(worker("--queue", " video=2"), "must not start or end with spaces");
    assertRefused(worker("--queue", "video=1", "--queue", "video=2"), "queue 'video' is given twice");
    assertRefused(worker("--queue", "video=2", "--workers", "4"), "not both");
    assertRefused(worker("--queue", "video=2", "--queues", "a,b"), "not both");
    assertRefused(CliRun.of("server", "--port", "0", "--queue", "video=0", "--db", db().toString()),
        "needs at least 1 worker");
  }

  @Test
  void bad_queues_in_the_file_are_refused_with_their_place_before_the_store_opens() throws IOException {
    assertRefused(worker("--config", config("queues: {video: 0}\n").toString()), "party.yaml", "needs at least 1 worker, not 0");
    assertRefused(worker("--config", config("queues: {video: -1}\n").toString()), "not -1");
    assertRefused(worker("--config", config("queues: {video: two}\n").toString()), "queues.video must be a whole number");
    assertRefused(worker("--config", config("queues: {video: 2.5}\n").toString()), "queues.video must be a whole number");
    assertRefused(worker("--config", config("queues: {video: \"2\"}\n").toString()), "queues.video must be a whole number");
    assertRefused(worker("--config", config("queues: [video, default]\n").toString()), "queues must be a map");
    assertRefused(worker("--config", config("queues: {\"\": 1}\n").toString()), "a queue name must not be blank");
    assertRefused(worker("--config", config("queue: {video: 1}\n").toString()), "unknown key 'queue'");
  }

  private void assertRefused(CliRun run, String... expected) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(expected).doesNotContain("Exception", "\tat ");
    assertThat(db()).as("nothing opened the store").doesNotExist();
  }
}
