package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.CleanupConfig;
import dev.party.Party;
import dev.party.cleanup.CleanupResult;
import dev.party.cleanup.TaskCleanup;
import dev.party.engine.TaskIds;
import dev.party.store.ArchivedTask;
import dev.party.store.Cancel;
import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.CleanupRecord;
import dev.party.store.Complete;
import dev.party.store.Completion;
import dev.party.store.ExpiredQuery;
import dev.party.store.ExpiredTask;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.Purged;
import dev.party.store.Requeue;
import dev.party.error.TaskConflictException;
import dev.party.error.TaskNotFoundException;
import dev.party.task.Chain;
import dev.party.task.Group;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskType;
import dev.party.task.TaskState;
import dev.party.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleanup's part of the store SPI: expired batches, delete, archive, the cleanup record. */
public abstract class CleanupContract extends StoreContract {
  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(7));

  private TaskId insert(String handler) {
    NewTask task = new NewTask(ids.next(), handler, "default", "{\"n\":1}", 0, null, null, 6, null, null);
    store.insert(new InsertTasks(List.of(task), clock.pinned()));
    return task.id();
  }

  /** Runs the task to FINISHED (or FAILED) at the clock's time. */
  private TaskId ended(String handler, boolean fail) {
    TaskId id = insert(handler);
    List<ClaimedTask> claimed = store.claim(new Claim("w", Set.of(handler), null, 1, Duration.ofSeconds(30),
        clock.pinned(), Map.of()));
    assertThat(claimed).hasSize(1);
    Completion outcome = fail ? new Completion.Fail(claimed.getFirst().ref(), "boom")
        : new Completion.Finish(claimed.getFirst().ref(), "{\"ok\":true}", List.of());
    store.complete(new Complete("w", List.of(outcome), clock.pinned()));
    return id;
  }

  private List<TaskId> expiredIds(ExpiredQuery query) {
    return store.expired(query).stream().map(e -> e.task().id()).toList();
  }

  @Test
  void expired_returns_final_tasks_ended_before_the_time_with_their_logs_oldest_first() {
    TaskId finished = ended("a", false);
    TaskId failed = ended("a", true);
    clock.advance(Duration.ofSeconds(1));
    TaskId cancelled = insert("a");
    store.cancel(new Cancel(cancelled, "cancelled", clock.pinned()));
    TaskId pending = insert("p");
    clock.advance(Duration.ofHours(1));
    TaskId recent = ended("a", false);

    List<ExpiredTask> expired = store.expired(new ExpiredQuery(null, Set.of(), clock.instant().minusSeconds(60), 10));

    assertThat(expired).extracting(e -> e.task().id()).containsExactly(finished, failed, cancelled);
    assertThat(expired.getFirst().task().state()).isEqualTo(TaskState.FINISHED);
    assertThat(expired.getFirst().log()).extracting(l -> l.to()).containsExactly(TaskState.RUNNING, TaskState.FINISHED);
    assertThat(expiredIds(new ExpiredQuery(null, Set.of(), clock.instant().minusSeconds(60), 2)))
        .containsExactly(finished, failed);
    assertThat(expiredIds(new ExpiredQuery(null, Set.of(), clock.instant().plusSeconds(1), 10)))
        .contains(recent).doesNotContain(pending);
  }

  @Test
  void expired_selects_one_handler_or_every_handler_but_some() {
    TaskId a = ended("a", false);
    TaskId b = ended("b", false);
    TaskId c = ended("c", false);
    Instant later = clock.instant().plusSeconds(1);

    assertThat(expiredIds(new ExpiredQuery("b", Set.of(), later, 10))).containsExactly(b);
    assertThat(expiredIds(new ExpiredQuery(null, Set.of("b"), later, 10))).containsExactly(a, c);
    assertThat(expiredIds(new ExpiredQuery(null, Set.of("a", "b", "c"), later, 10))).isEmpty();
  }

  @Test
  void deleteFinal_deletes_final_tasks_and_their_logs_and_leaves_others() {
    TaskId finished = ended("a", false);
    TaskId failed = ended("a", true);
    TaskId pending = insert("p");
    store.requeue(new Requeue(failed, "retried", clock.pinned(), null));

    int deleted = store.deleteFinal(List.of(finished, failed, pending));

    assertThat(deleted).isEqualTo(1);
    assertThat(store.get(finished)).isEmpty();
    assertThat(store.log(finished)).isEmpty();
    assertThat(store.get(failed)).get().extracting(t -> t.state()).isEqualTo(TaskState.PENDING);
    assertThat(store.get(pending)).isPresent();
    assertThat(store.deleteFinal(List.of())).isZero();
  }

  @Test
  void purge_deletes_one_final_task_and_its_log_and_leaves_an_unfinished_one() {
    TaskId finished = ended("a", false);
    TaskId failed = ended("a", true);
    TaskId cancelled = insert("a");
    store.cancel(new Cancel(cancelled, "cancelled", clock.pinned()));
    TaskId running = insert("r");
    assertThat(store.claim(new Claim("w", Set.of("r"), null, 1, Duration.ofSeconds(30), clock.pinned(), Map.of()))).hasSize(1);
    TaskId pending = insert("p");

    for (TaskId id : List.of(finished, failed, cancelled)) {
      assertThat(store.purge(id)).as("purge %s", id).isEqualTo(Purged.PURGED);
      assertThat(store.get(id)).isEmpty();
      assertThat(store.log(id)).isEmpty();
      assertThat(store.purge(id)).isEqualTo(Purged.NOT_FOUND);
    }
    assertThat(store.purge(running)).isEqualTo(Purged.NOT_FINAL);
    assertThat(store.purge(pending)).isEqualTo(Purged.NOT_FINAL);
    assertThat(store.get(running)).get().extracting(t -> t.state()).isEqualTo(TaskState.RUNNING);
    assertThat(store.log(running)).isNotEmpty();
    assertThat(store.get(pending)).isPresent();
    assertThat(store.purge(ids.next())).isEqualTo(Purged.NOT_FOUND);
  }

  @Test
  void purge_keeps_a_chain_step_or_group_member_while_the_task_that_reads_it_is_unfinished() {
    try (Party party = party(CleanupConfig.defaults().off())) {
      Chain chain = party.chain(TaskRequest.of("plain"), TaskRequest.of("plain"));
      TaskId first = chain.steps().getFirst();
      assertThat(party.runNow(first).state()).isEqualTo(TaskState.FINISHED);
      assertThatThrownBy(() -> party.purge(first)).isInstanceOf(TaskConflictException.class)
          .hasMessageContaining("chain step or group member");
      assertThat(store.get(first)).isPresent();
      assertThat(party.runDue()).isEqualTo(1);
      party.purge(first);
      assertThat(store.get(first)).isEmpty();
      assertThat(party.task(chain.steps().getLast()).orElseThrow().state()).isEqualTo(TaskState.FINISHED);

      Group group = party.group(List.of(TaskRequest.of("plain"), TaskRequest.of("plain")), TaskRequest.of("plain"));
      TaskId member = group.members().getFirst();
      assertThat(party.runNow(member).state()).isEqualTo(TaskState.FINISHED);
      assertThat(store.purge(member)).isEqualTo(Purged.NEEDED_BY_WORKFLOW);
      party.cancel(group.callback());
      party.purge(member);
      assertThat(store.get(member)).isEmpty();

      TaskId waiting = party.enqueue(TaskRequest.of("plain").runIn(Duration.ofDays(1)));
      assertThatThrownBy(() -> party.purge(waiting)).isInstanceOf(TaskConflictException.class)
          .hasMessageContaining("is PENDING").hasMessageContaining("cancel it first");
      assertThatThrownBy(() -> party.purge(ids.next())).isInstanceOf(TaskNotFoundException.class);
    }
  }

  @Test
  void archive_moves_final_tasks_once_and_deletes_them() {
    TaskId finished = ended("a", false);
    TaskId pending = insert("p");
    var finishedView = store.get(finished).orElseThrow();

    int moved = store.archive(List.of(
        new ArchivedTask(finished, "a", TaskState.FINISHED, finishedView.finishedAt(), "{\"id\":\"" + finished + "\"}"),
        new ArchivedTask(pending, "a", TaskState.PENDING, null, "{}")), clock.pinned());

    assertThat(moved).isEqualTo(1);
    assertThat(store.get(finished)).isEmpty();
    assertThat(store.log(finished)).isEmpty();
    assertThat(store.get(pending)).isPresent();
    assertThat(archivedIds()).containsExactly(finished.value());
    // Archiving it again (a retried batch) changes nothing.
    assertThat(store.archive(List.of(new ArchivedTask(finished, "a", TaskState.FINISHED, null, "{}")), clock.pinned()))
        .isZero();
  }

  /** The ids in party_task_archive; each store's test reads its own table. */
  protected abstract List<String> archivedIds();

  @Test
  void the_cleanup_record_keeps_the_last_run_and_adds_up_totals() {
    assertThat(store.lastCleanup()).isEmpty();
    Instant first = clock.instant();
    store.recordCleanup(first, 3, 1);
    Instant second = clock.advance(Duration.ofHours(1));
    store.recordCleanup(second, 2, 0);

    CleanupRecord record = store.lastCleanup().orElseThrow();
    assertThat(record).isEqualTo(new CleanupRecord(second, 2, 0, 5, 1));
  }

  // ---- the cleanup through Party -------------------------------------------------------------

  private Party party(CleanupConfig cleanup) {
    return Party.builder(store).clock(clock).workers(1).cleanup(cleanup)
        .handlers(h -> h
            .handler(TaskType.of("short").retention(Duration.ofHours(1)), JsonNode.class, c -> Outcome.done())
            .handler("plain", c -> Outcome.done())
            .handler("broken", c -> Outcome.giveUp("broken for good")))
        .build();
  }

  @Test
  void the_cleanup_keeps_each_type_for_its_retention_then_archives_it() {
    try (Party party = party(CleanupConfig.defaults().retention(Duration.ofDays(1)))) {
      TaskId shortLived = party.enqueue(TaskRequest.of("short"));
      TaskId plain = party.enqueue(TaskRequest.of("plain"));
      TaskId broken = party.enqueue(TaskRequest.of("broken"));
      TaskId waiting = party.enqueue(TaskRequest.of("plain").runIn(Duration.ofDays(30)));
      assertThat(party.runDue()).isEqualTo(3);

      clock.advance(Duration.ofMinutes(59));
      assertThat(party.cleanup().deleted()).as("nothing is past its retention yet").isZero();

      clock.advance(Duration.ofMinutes(2));
      CleanupResult first = party.cleanup();
      assertThat(first.completed()).isEqualTo(1);
      assertThat(first.deleted()).isEqualTo(1);
      assertThat(party.task(shortLived)).isEmpty();
      assertThat(party.task(plain)).isPresent();
      assertThat(archivedIds()).containsExactly(shortLived.value());

      clock.advance(Duration.ofDays(1));
      CleanupResult second = party.cleanup();
      assertThat(second.completed()).isEqualTo(1);
      assertThat(second.failed()).isEqualTo(1);
      assertThat(party.task(plain)).isEmpty();
      assertThat(party.task(broken)).isEmpty();
      assertThat(party.task(waiting)).as("an unfinished task stays, however old").isPresent();
      assertThat(archivedIds()).containsExactlyInAnyOrder(shortLived.value(), plain.value(), broken.value());

      CleanupRecord record = party.lastCleanup().orElseThrow();
      assertThat(record.lastRunAt()).isEqualTo(clock.instant());
      assertThat(record.lastCompleted()).isEqualTo(1);
      assertThat(record.lastFailed()).isEqualTo(1);
      assertThat(record.totalCompleted()).isEqualTo(2);
    }
  }

  @Test
  void the_cleanup_is_a_task_and_an_hourly_schedule_that_can_be_turned_off() {
    try (Party party = party(CleanupConfig.defaults())) {
      party.startDraining();
      assertThat(party.schedules().get(TaskCleanup.NAME)).get()
          .satisfies(s -> assertThat(s.recurrence().spec()).isEqualTo("PT1H"));
    }
    try (Party party = party(CleanupConfig.defaults().off())) {
      party.startDraining();
      assertThat(party.schedules().get(TaskCleanup.NAME)).as("removed when turned off").isEmpty();
    }
    try (Party party = party(CleanupConfig.defaults().off())) {
      TaskId done = party.enqueue(TaskRequest.of("plain"));
      party.runDue();
      clock.advance(Duration.ofDays(8));
      party.enqueue(TaskRequest.of(TaskCleanup.NAME));
      party.runDue();
      assertThat(party.task(done)).as("the seeds' TaskCleanup task runs the cleanup").isEmpty();
    }
  }

  @TempDir Path dir;

  @Test
  void a_dump_file_that_cannot_be_written_sends_its_tasks_to_the_archive_table_and_the_run_succeeds() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "a regular file"); // root may write anywhere else
    Path completedDump = notAFolder.resolve("completed.log");
    Path failedDump = Files.createDirectories(dir.resolve("failed.log")); // a folder where the file should be
    try (Party party = party(CleanupConfig.defaults().dumps(completedDump, failedDump).batchSize(1))) {
      List<TaskId> plain = List.of(party.enqueue(TaskRequest.of("plain")), party.enqueue(TaskRequest.of("plain")));
      TaskId broken = party.enqueue(TaskRequest.of("broken"));
      assertThat(party.runDue()).isEqualTo(3);
      clock.advance(Duration.ofDays(8));

      CleanupResult result = party.cleanup();

      assertThat(result.deleted()).isEqualTo(3);
      assertThat(result.completed()).isEqualTo(2);
      assertThat(result.failed()).isEqualTo(1);
      assertThat(archivedIds()).containsExactlyInAnyOrder(plain.get(0).value(), plain.get(1).value(), broken.value());
      assertThat(result.unusableDumps()).as("one line per file, however many batches").hasSize(2);
      assertThat(result.unusableDumps().get(0)).contains(completedDump.toString(), "not a folder: " + notAFolder);
      assertThat(result.unusableDumps().get(1)).contains(failedDump.toString(), "archive table");
      assertThat(party.lastCleanup().orElseThrow().lastCompleted()).isEqualTo(2);
    }
  }

  @Test
  void a_dump_file_that_works_is_written_while_the_other_falls_back() throws Exception {
    Path completedDump = dir.resolve("dumps/completed.log");
    Path failedDump = Files.createDirectories(dir.resolve("dumps/failed.log"));
    try (Party party = party(CleanupConfig.defaults().dumps(completedDump, failedDump))) {
      TaskId plain = party.enqueue(TaskRequest.of("plain"));
      TaskId broken = party.enqueue(TaskRequest.of("broken"));
      party.runDue();
      clock.advance(Duration.ofDays(8));

      CleanupResult result = party.cleanup();

      assertThat(result.deleted()).isEqualTo(2);
      assertThat(Files.readString(completedDump)).contains(plain.value());
      assertThat(archivedIds()).containsExactly(broken.value());
      assertThat(result.unusableDumps()).singleElement().asString().contains(failedDump.toString());
    }
  }
}
