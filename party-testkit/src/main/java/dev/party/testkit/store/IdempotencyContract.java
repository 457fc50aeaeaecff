package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.engine.TaskIds;
import dev.party.error.TaskConflictException;
import dev.party.store.InsertOnce;
import dev.party.store.InsertTasks;
import dev.party.store.InsertedOnce;
import dev.party.store.NewTask;
import dev.party.task.Enqueued;
import dev.party.task.TaskQuery;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idempotency keys of inserts ({@code TaskStore#insertOnce}): a retried enqueue stores once. */
public abstract class IdempotencyContract extends StoreContract {
  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(13));

  private synchronized NewTask task(String handler) {
    return new NewTask(ids.next(), handler, "default", "{}", 0, null, null, 6, null, null);
  }

  /** As a retry would send it: the same content, freshly prepared (so with new ids). */
  private InsertOnce once(String key, String fingerprint, int tasks) {
    List<NewTask> list = new ArrayList<>();
    for (int i = 0; i < tasks; i++) list.add(task("a"));
    return new InsertOnce(new InsertTasks(list, clock.pinned()), key, fingerprint);
  }

  private int stored() {
    return store.list(TaskQuery.all().limit(1000)).size();
  }

  @Test
  void a_key_sent_again_stores_nothing_and_answers_the_first_insert_s_tasks() {
    InsertedOnce first = store.insertOnce(once("key-1", "f1", 2));
    InsertedOnce again = store.insertOnce(once("key-1", "f1", 2));

    assertThat(first.replayed()).isFalse();
    assertThat(again.replayed()).isTrue();
    assertThat(again.enqueued()).isEqualTo(first.enqueued());
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void a_covered_task_is_answered_as_covered_again() {
    NewTask waiting = task("a").withBatchKey("b");
    store.insert(new InsertTasks(List.of(waiting), clock.pinned()));
    InsertOnce covered = new InsertOnce(new InsertTasks(List.of(task("a").withBatchKey("b")), clock.pinned()), "k", "f");

    store.insertOnce(covered);

    assertThat(store.insertOnce(covered).enqueued()).containsExactly(Enqueued.coveredBy(waiting.id()));
  }

  @Test
  void a_key_reused_for_another_request_is_a_conflict_and_stores_nothing() {
    store.insertOnce(once("key-1", "f1", 1));

    assertThatThrownBy(() -> store.insertOnce(once("key-1", "f2", 1)))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("key-1");
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void a_refused_insert_leaves_its_key_free() {
    store.insert(new InsertTasks(List.of(task("a").withUniqueKey("u")), clock.pinned()));
    InsertOnce clash = new InsertOnce(new InsertTasks(List.of(task("a").withUniqueKey("u")), clock.pinned()), "k", "f");
    assertThatThrownBy(() -> store.insertOnce(clash)).isInstanceOf(TaskConflictException.class);

    InsertedOnce later = store.insertOnce(once("k", "f", 1));

    assertThat(later.replayed()).isFalse();
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void keys_older_than_the_cut_off_are_deleted_and_their_key_stores_again() {
    store.insertOnce(once("old", "f", 1));
    clock.advance(Duration.ofHours(25));
    store.insertOnce(once("new", "f", 1));

    assertThat(store.deleteIdempotencyKeys(clock.instant().minus(InsertOnce.KEPT))).isEqualTo(1);

    assertThat(store.insertOnce(once("old", "f", 1)).replayed()).isFalse();
    assertThat(store.insertOnce(once("new", "f", 1)).replayed()).isTrue();
    assertThat(stored()).isEqualTo(3);
  }

  /** Real threads released together, as a client's retry racing its own first try. */
  @Test
  void concurrent_inserts_with_one_key_store_once() throws Exception {
    int threads = 8;
    int rounds = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        String key = "race-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<InsertedOnce>> answers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          InsertOnce request = once(key, "f", 3);
          answers.add(pool.submit(() -> {
            go.await();
            return store.insertOnce(request);
          }));
        }
        go.countDown();
        List<InsertedOnce> done = new ArrayList<>();
        for (Future<InsertedOnce> answer : answers) done.add(answer.get(30, TimeUnit.SECONDS));
        assertThat(done).filteredOn(a -> !a.replayed()).hasSize(1);
        assertThat(done).extracting(InsertedOnce::enqueued).containsOnly(done.getFirst().enqueued());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(stored()).isEqualTo(3 * rounds);
  }
}
