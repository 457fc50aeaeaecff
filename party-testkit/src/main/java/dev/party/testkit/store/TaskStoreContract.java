package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.engine.TaskIds;
import dev.party.error.PartyException;
import dev.party.error.TaskConflictException;
import dev.party.error.QueueFullException;
import dev.party.store.Cancel;
import dev.party.store.Claim;
import dev.party.store.ClaimOne;
import dev.party.store.ClaimedTask;
import dev.party.store.Complete;
import dev.party.store.CompleteResult;
import dev.party.store.Completion;
import dev.party.store.Heartbeat;
import dev.party.store.InsertTasks;
import dev.party.store.LeaseRef;
import dev.party.store.NewTask;
import dev.party.store.NextLeaseExpiry;
import dev.party.store.ReleaseExpired;
import dev.party.store.ReleaseOwner;
import dev.party.store.Released;
import dev.party.store.Requeue;
import dev.party.store.RunNote;
import dev.party.store.StoreStatus;
import dev.party.store.TaskStore;
import dev.party.task.Enqueued;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} must do. A store's test extends this and supplies an empty,
 * migrated, isolated store; it passes the kit unchanged. Time is a {@link MutableClock} passed to
 * every request, so nothing here sleeps.
 */
public abstract class TaskStoreContract extends StoreContract {
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Set<String> HANDLERS = Set.of("a", "b");

  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(7));

  // ---- helpers -------------------------------------------------------------------------------

  protected NewTask task(String handler) {
    return new NewTask(ids.next(), handler, "default", "{\"n\":1}", 0, null, null, 6, null, null);
  }

  protected NewTask task(String handler, int priority, Instant runAt, int maxAttempts) {
    return new NewTask(ids.next(), handler, "default", "{}", priority, runAt, null, maxAttempts, null, null);
  }

  protected TaskId insert(NewTask task) {
    store.insert(new InsertTasks(List.of(task), clock.pinned()));
    return task.id();
  }

  protected List<ClaimedTask> claim(String owner, int limit) {
    return store.claim(new Claim(owner, HANDLERS, null, limit, LEASE, clock.pinned(), Map.of()));
  }

  protected ClaimedTask claimOne(String owner) {
    List<ClaimedTask> claimed = claim(owner, 1);
    assertThat(claimed).hasSize(1);
    return claimed.getFirst();
  }

  protected CompleteResult complete(String owner, Completion completion) {
    return store.complete(new Complete(owner, List.of(completion), clock.pinned()));
  }

  protected Completion finish(ClaimedTask task) {
    return new Completion.Finish(task.ref(), "{\"ok\":true}", List.of());
  }

  protected TaskView get(TaskId id) {
    return store.get(id).orElseThrow();
  }

  // ---- insert --------------------------------------------------------------------------------

  @Test
  void an_inserted_task_is_pending_with_its_fields_and_an_empty_log() {
    NewTask request = new NewTask(ids.next(), "a", "mail", "{\"to\":\"x@y.z\"}", 3, null,
        Duration.ofMinutes(5), 4, null, null);
    TaskId id = insert(request);

    TaskView task = get(id);
    assertThat(task.state()).isEqualTo(TaskState.PENDING);
    assertThat(task.handler()).isEqualTo("a");
    assertThat(task.queue()).isEqualTo("mail");
    assertThat(task.data()).isEqualTo("{\"to\":\"x@y.z\"}");
    assertThat(task.priority()).isEqualTo(3);
    assertThat(task.createdAt()).isEqualTo(clock.instant());
    assertThat(task.runAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(task.attempts()).isZero();
    assertThat(task.maxAttempts()).isEqualTo(4);
    assertThat(task.displayState(clock.instant())).isEqualTo("SCHEDULED");
    assertThat(store.log(id)).isEmpty();
  }

  // ---- times to the microsecond ----------------------------------------------------------------

  @Test
  void a_run_time_with_microseconds_is_stored_and_answered_exactly() {
    Instant at = Instant.parse("2014-03-11T05:12:22.086400Z");
    Instant late = Instant.parse("9999-12-30T23:59:59.999999Z");
    NewTask task = task("a", 0, at, 6);
    NewTask farOff = task("b", 0, late, 6);

    List<Enqueued> answers = insertAll(task, farOff);

    assertThat(answers).extracting(Enqueued::runAt).containsExactly(at, late);
    assertThat(get(task.id()).runAt()).isEqualTo(at);
    assertThat(get(farOff.id()).runAt()).isEqualTo(late);
    assertThat(store.list(TaskQuery.all())).extracting(TaskView::runAt).contains(at, late);
  }

  @Test
  void the_run_time_a_store_picks_itself_is_the_one_it_answers_and_keeps() {
    clock.set(clock.instant().plusNanos(123_456_000));
    NewTask now = task("a");
    NewTask later = new NewTask(ids.next(), "a", "default", "{}", 0, null, Duration.ofNanos(1_500_250_000), 6, null, null);

    List<Enqueued> answers = insertAll(now, later);

    assertThat(answers.get(0).runAt()).isEqualTo(get(now.id()).runAt());
    assertThat(answers.get(1).runAt()).isEqualTo(get(later.id()).runAt())
        .isEqualTo(answers.get(0).runAt().plus(Duration.ofNanos(1_500_250_000)));
  }

  @Test
  void claims_go_by_the_microsecond() {
    Instant t = clock.instant();
    NewTask second = task("a", 0, t.plusNanos(2_000), 6);
    NewTask first = task("a", 0, t.plusNanos(1_000), 6);
    NewTask notYet = task("a", 0, t.plusNanos(1_001_000), 6);
    insertAll(second, first, notYet);

    assertThat(claim("w", 10)).isEmpty();
    clock.set(t.plusMillis(1));
    assertThat(claim("w", 10)).extracting(c -> c.task().id()).containsExactly(first.id(), second.id());

    assertThat(claim("w", 10)).isEmpty();
    clock.set(t.plusMillis(2));
    ClaimedTask run = claimOne("w");
    assertThat(run.task().id()).isEqualTo(notYet.id());
    Instant retryAt = t.plusSeconds(60).plusNanos(7_000);
    complete("w", new Completion.Retry(run.ref(), retryAt, null, "boom"));
    assertThat(get(notYet.id()).runAt()).isEqualTo(retryAt);
  }

  @Test
  void a_batch_is_stored_all_or_none() {
    NewTask first = task("a").withUniqueKey("k");
    NewTask clash = task("a").withUniqueKey("k");
    assertThatThrownBy(() -> store.insert(new InsertTasks(List.of(task("a"), first, clash), clock.pinned())))
        .isInstanceOf(PartyException.class);
    assertThat(store.list(TaskQuery.all())).isEmpty();
  }

  @Test
  void a_unique_key_admits_one_unfinished_task_and_frees_once_it_is_final() {
    insert(task("a").withUniqueKey("nightly"));
    assertThatThrownBy(() -> insert(task("a").withUniqueKey("nightly"))).isInstanceOf(PartyException.class);
    ClaimedTask running = claimOne("w1");
    complete("w1", finish(running));
    insert(task("a").withUniqueKey("nightly"));
    assertThat(store.list(TaskQuery.all())).hasSize(2);
  }

  // ---- instance keys -------------------------------------------------------------------------

  @Test
  void an_instance_key_names_one_task_of_its_handler_in_every_state() {
    TaskId first = insert(task("a").withInstanceKey("Task001"));
    assertThat(get(first).instanceKey()).isEqualTo("Task001");
    assertThat(store.getByInstanceKey("a", "Task001")).map(TaskView::id).contains(first);

    assertThatThrownBy(() -> insert(task("a").withInstanceKey("Task001")))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("handler 'a' already has a task with instance key 'Task001'");
    complete("w1", finish(claimOne("w1")));
    assertThatThrownBy(() -> insert(task("a").withInstanceKey("Task001"))) // finished: still taken
        .isInstanceOf(TaskConflictException.class);

    TaskId otherHandler = insert(task("b").withInstanceKey("Task001"));
    assertThat(store.getByInstanceKey("b", "Task001")).map(TaskView::id).contains(otherHandler);
    assertThat(store.getByInstanceKey("a", "Task002")).isEmpty();
    assertThat(store.getByInstanceKey("c", "Task001")).isEmpty();
    assertThat(store.list(TaskQuery.all())).hasSize(2);
  }

  @Test
  void a_taken_instance_key_refuses_the_whole_insert_and_stores_nothing() {
    TaskId cancelled = insert(task("a").withInstanceKey("k"));
    store.cancel(new Cancel(cancelled, "test", clock.pinned()));
    assertThatThrownBy(() -> insertAll(task("a"), task("b").withInstanceKey("k"), task("a").withInstanceKey("k")))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("instance key");
    assertThat(store.list(TaskQuery.all())).extracting(TaskView::id).containsExactly(cancelled);
  }

  // ---- batch keys ----------------------------------------------------------------------------

  protected List<Enqueued> insertAll(NewTask... tasks) {
    return store.insert(new InsertTasks(List.of(tasks), clock.pinned()));
  }

  /** What {@link #insertAll} did with each task, without the run times. */
  private List<Enqueued> outcomes(NewTask... tasks) {
    return insertAll(tasks).stream().map(Enqueued::withoutTime).toList();
  }

  private static Enqueued stored(NewTask task) {
    return new Enqueued(task.id(), false);
  }

  @Test
  void a_waiting_task_covers_requests_with_its_handler_and_batch_key_and_answers_with_its_id() {
    NewTask first = task("a").withBatchKey("reindex");
    assertThat(outcomes(first)).containsExactly(stored(first));

    NewTask again = task("a").withBatchKey("reindex");
    NewTask otherHandler = task("b").withBatchKey("reindex");
    NewTask plain = task("a");
    assertThat(outcomes(again, otherHandler, plain)).containsExactly(
        Enqueued.coveredBy(first.id()), stored(otherHandler), stored(plain));
    assertThat(store.get(again.id())).isEmpty();

    NewTask x = task("a").withBatchKey("x");
    NewTask y = task("a").withBatchKey("x");
    assertThat(outcomes(x, y)).containsExactly(stored(x), Enqueued.coveredBy(x.id()));
    assertThat(store.status().states()).containsEntry(TaskState.PENDING, 4L);
  }

  @Test
  void a_started_task_covers_nothing_even_when_it_goes_back_to_wait_for_a_retry() {
    TaskId first = insert(task("a").withBatchKey("k"));
    ClaimedTask running = claimOne("w");
    NewTask second = task("a").withBatchKey("k");
    assertThat(outcomes(second)).containsExactly(stored(second));

    // The first goes back to PENDING beside the second: no clash, and the second still covers.
    complete("w", new Completion.Retry(running.ref(), clock.instant(), null, "boom"));
    assertThat(get(first).state()).isEqualTo(TaskState.PENDING);
    NewTask third = task("a").withBatchKey("k");
    assertThat(outcomes(third)).containsExactly(Enqueued.coveredBy(second.id()));
  }

  @Test
  void concurrent_batch_enqueues_leave_one_waiting_task_per_key_and_every_caller_gets_its_id() throws Exception {
    int threads = 8;
    int perThread = 50;
    int keys = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    List<List<Enqueued>> answers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Enqueued>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          List<Enqueued> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) mine.addAll(insertAll(task("a").withBatchKey("k" + i % keys)));
          return mine;
        }));
      }
      for (Future<List<Enqueued>> future : futures) answers.add(future.get());
    } finally {
      pool.shutdownNow();
    }
    List<TaskView> waiting = store.list(TaskQuery.all().state(TaskState.PENDING));
    assertThat(waiting).hasSize(keys);
    Set<TaskId> waitingIds = new HashSet<>(waiting.stream().map(TaskView::id).toList());
    for (List<Enqueued> mine : answers) {
      assertThat(mine).hasSize(perThread);
      for (int i = 0; i < perThread; i++) assertThat(mine.get(i).id()).isIn(waitingIds);
      // Each key always answers with the same task.
      for (int i = keys; i < perThread; i++) assertThat(mine.get(i).id()).isEqualTo(mine.get(i % keys).id());
    }
    assertThat(answers.stream().flatMap(List::stream).filter(e -> !e.covered())).hasSize(keys);
  }

  // ---- singleton keys ------------------------------------------------------------------------

  /** A task of handler "a" with this singleton key, which its data repeats (claims show no key). */
  protected NewTask singleton(String key, SingletonPolicy policy) {
    return new NewTask(ids.next(), "a", "default", "{\"key\":\"" + key + "\"}", 0, null, null, 6, null, null)
        .withSingleton(key, policy);
  }

  @Test
  void a_claim_starts_one_task_per_singleton_key_and_the_others_wait_without_an_attempt() {
    TaskId first = insert(singleton("nightly", SingletonPolicy.WAIT));
    TaskId second = insert(singleton("nightly", SingletonPolicy.WAIT));
    TaskId other = insert(singleton("hourly", SingletonPolicy.WAIT));
    TaskId plain = insert(task("a"));

    List<ClaimedTask> claimed = claim("w1", 10);
    assertThat(claimed).extracting(c -> c.task().id()).containsExactlyInAnyOrder(first, other, plain);
    assertThat(get(second).state()).isEqualTo(TaskState.PENDING);
    assertThat(get(second).attempts()).isZero();
    assertThat(claim("w2", 10)).isEmpty();

    complete("w1", finish(claimed.stream().filter(c -> c.task().id().equals(first)).findFirst().orElseThrow()));
    assertThat(claim("w2", 10)).extracting(c -> c.task().id()).containsExactly(second);
    assertThat(get(second).attempts()).isEqualTo(1);
  }

  @Test
  void a_task_held_back_by_its_singleton_key_cannot_be_run_now_either() {
    insert(singleton("nightly", SingletonPolicy.WAIT));
    TaskId second = insert(singleton("nightly", SingletonPolicy.WAIT));
    claimOne("w1");
    assertThatThrownBy(() -> store.claimOne(new ClaimOne(second, "w2", LEASE, clock.pinned(), Map.of())))
        .isInstanceOf(dev.party.error.TaskConflictException.class)
        .hasMessageContaining("singleton");
    assertThat(get(second).state()).isEqualTo(TaskState.PENDING);
    assertThat(get(second).attempts()).isZero();
  }

  @Test
  void a_due_skip_singleton_whose_key_is_running_finishes_as_skipped_without_an_attempt() {
    TaskId running = insert(singleton("report", SingletonPolicy.SKIP));
    claimOne("w1");
    TaskId due = insert(singleton("report", SingletonPolicy.SKIP));
    TaskId later = insert(task("a", 0, clock.instant().plusSeconds(60), 6).withSingleton("report", SingletonPolicy.SKIP));

    assertThat(claim("w2", 10)).isEmpty();
    TaskView skipped = get(due);
    assertThat(skipped.state()).isEqualTo(TaskState.FINISHED);
    assertThat(skipped.attempts()).isZero();
    assertThat(skipped.result()).contains("\"skipped\"").contains("report");
    assertThat(store.log(due)).singleElement().satisfies(entry -> {
      assertThat(entry.from()).isEqualTo(TaskState.PENDING);
      assertThat(entry.to()).isEqualTo(TaskState.FINISHED);
      assertThat(entry.message()).contains("skipped").contains("'report'").contains("RUNNING");
    });
    assertThat(get(later).state()).isEqualTo(TaskState.PENDING);
    assertThat(get(running).state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void many_concurrent_claimers_never_run_two_tasks_with_one_singleton_key() throws Exception {
    int keys = 4;
    int perKey = 25;
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < keys * perKey; i++) batch.add(singleton("s" + i % keys, SingletonPolicy.WAIT));
    for (int i = 0; i < 50; i++) batch.add(task("b"));
    store.insert(new InsertTasks(batch, clock.pinned()));

    int threads = 8;
    ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "w" + t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int empty = 0; empty < 3; ) {
            List<ClaimedTask> claimed = claim(owner, 3);
            if (claimed.isEmpty()) {
              empty++;
              continue;
            }
            // Counted down before the finish is written, so a count of 2 is two RUNNING rows at once.
            for (ClaimedTask c : claimed) {
              String key = c.task().handler().equals("a") ? keyOf(c) : null;
              if (key != null && running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
            }
            for (ClaimedTask c : claimed) {
              String key = c.task().handler().equals("a") ? keyOf(c) : null;
              if (key != null) running.get(key).decrementAndGet();
            }
            finished.addAndGet(store.complete(new Complete(owner, claimed.stream().map(this::finish).toList(),
                clock.pinned())).applied());
          }
          return null;
        }));
      }
      for (Future<?> future : futures) future.get();
    } finally {
      pool.shutdownNow();
    }
    // A thread stops after three empty claims in a row; whatever they left is finished here.
    for (List<ClaimedTask> rest; !(rest = claim("last", 10)).isEmpty(); ) {
      finished.addAndGet(store.complete(new Complete("last", rest.stream().map(this::finish).toList(), clock.pinned()))
          .applied());
    }
    assertThat(overlaps).hasValue(0);
    assertThat(finished.get()).isEqualTo(keys * perKey + 50);
    assertThat(store.status().states().get(TaskState.FINISHED)).isEqualTo(keys * perKey + 50L);
  }

  private String keyOf(ClaimedTask claimed) {
    return claimed.task().data();
  }

  // ---- claim ---------------------------------------------------------------------------------

  @Test
  void due_tasks_come_out_by_priority_then_run_at_then_attempts_then_created_at() {
    Instant t0 = clock.instant().minusSeconds(60);
    // One failed attempt already, due at t0: it yields to fresh tasks due at the same time.
    TaskId retried = insert(task("b", 0, t0, 6));
    ClaimedTask run = store.claim(new Claim("w", Set.of("b"), null, 1, LEASE, clock.pinned(), Map.of())).getFirst();
    complete("w", new Completion.Retry(run.ref(), t0, null, "boom"));
    TaskId late = insert(task("a", 0, t0.plusSeconds(10), 6));
    TaskId early = insert(task("a", 0, t0, 6));
    TaskId urgent = insert(task("a", 5, t0.plusSeconds(30), 6));
    clock.advance(Duration.ofMillis(1));
    TaskId earlySecond = insert(task("a", 0, t0, 6));

    assertThat(claim("w2", 10)).extracting(c -> c.task().id())
        .containsExactly(urgent, early, earlySecond, retried, late);
  }

  @Test
  void a_task_is_not_claimed_before_its_run_at() {
    TaskId id = insert(task("a", 0, clock.instant().plusSeconds(60), 6));
    assertThat(claim("w", 10)).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    assertThat(claim("w", 10)).extracting(c -> c.task().id()).containsExactly(id);
  }

  @Test
  void a_claim_stamps_the_lease_counts_the_attempt_and_logs_it() {
    TaskId id = insert(task("a"));
    ClaimedTask claimed = claimOne("worker-1");
    assertThat(claimed.task().state()).isEqualTo(TaskState.RUNNING);
    assertThat(claimed.task().attempts()).isEqualTo(1);
    assertThat(claimed.task().leaseOwner()).isEqualTo("worker-1");
    assertThat(claimed.task().leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
    assertThat(store.log(id)).extracting(TaskLogEntry::to).containsExactly(TaskState.RUNNING);
    assertThat(store.log(id).getLast().worker()).isEqualTo("worker-1");
  }

  @Test
  void a_claimed_task_is_not_claimed_again_while_its_lease_holds() {
    insert(task("a"));
    claimOne("w1");
    clock.advance(LEASE.minusSeconds(1));
    store.releaseExpired(new ReleaseExpired(clock.pinned()));
    assertThat(claim("w2", 10)).isEmpty();
  }

  @Test
  void the_next_lease_expiry_is_the_earliest_lease_of_any_running_task() {
    assertThat(store.nextLeaseExpiry(new NextLeaseExpiry(clock.pinned()))).isEmpty();
    insert(task("a"));
    insert(task("a"));
    claimOne("w1");
    clock.advance(Duration.ofSeconds(5));
    claimOne("w2");
    assertThat(store.nextLeaseExpiry(new NextLeaseExpiry(clock.pinned()))).contains(LEASE.minusSeconds(5));

    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.nextLeaseExpiry(new NextLeaseExpiry(clock.pinned()))).contains(Duration.ofSeconds(-6));
    store.releaseExpired(new ReleaseExpired(clock.pinned()));
    assertThat(store.nextLeaseExpiry(new NextLeaseExpiry(clock.pinned()))).isEmpty();
  }

  @Test
  void a_claim_takes_at_most_its_limit_and_only_the_named_handlers_and_queues() {
    for (int i = 0; i < 5; i++) insert(task("a"));
    insert(task("c"));
    insert(new NewTask(ids.next(), "b", "reports", "{}", 0, null, null, 6, null, null));
    assertThat(claim("w", 3)).hasSize(3);
    assertThat(store.claim(new Claim("w", Set.of("a", "b", "c"), Set.of("reports"), 10, LEASE, clock.pinned(), Map.of())))
        .extracting(c -> c.task().handler()).containsExactly("b");
    assertThat(claim("w", 10)).hasSize(2).allSatisfy(c -> assertThat(c.task().handler()).isEqualTo("a"));
  }

  @Test
  void many_concurrent_claimers_never_receive_the_same_task() throws Exception {
    int tasks = 2_000;
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < tasks; i++) batch.add(task(i % 2 == 0 ? "a" : "b"));
    store.insert(new InsertTasks(batch, clock.pinned()));

    int threads = 8;
    Set<TaskId> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String owner = "w" + t;
        futures.add(pool.submit(() -> {
          start.await();
          while (true) {
            List<ClaimedTask> claimed = claim(owner, 7);
            if (claimed.isEmpty()) return null;
            for (ClaimedTask c : claimed) if (!seen.add(c.task().id())) duplicates.incrementAndGet();
            store.complete(new Complete(owner, claimed.stream().map(this::finish).toList(), clock.pinned()));
          }
        }));
      }
      for (Future<?> future : futures) future.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(duplicates).hasValue(0);
    assertThat(seen).hasSize(tasks);
    assertThat(store.status().states().get(TaskState.FINISHED)).isEqualTo(tasks);
  }

  // ---- completions ---------------------------------------------------------------------------

  @Test
  void a_finished_task_keeps_its_result_and_never_runs_again() {
    TaskId id = insert(task("a"));
    ClaimedTask claimed = claimOne("w");
    assertThat(complete("w", finish(claimed)).applied()).isEqualTo(1);

    TaskView task = get(id);
    assertThat(task.state()).isEqualTo(TaskState.FINISHED);
    assertThat(task.result()).isEqualTo("{\"ok\":true}");
    assertThat(task.finishedAt()).isEqualTo(clock.instant());
    assertThat(task.leaseOwner()).isNull();
    clock.advance(Duration.ofDays(1));
    store.releaseExpired(new ReleaseExpired(clock.pinned()));
    assertThat(claim("w", 10)).isEmpty();
    assertThat(store.log(id)).extracting(TaskLogEntry::to)
        .containsExactly(TaskState.RUNNING, TaskState.FINISHED);
  }

  @Test
  void finishing_with_a_continuation_stores_it_in_the_same_write() {
    insert(task("a"));
    ClaimedTask claimed = claimOne("w");
    NewTask next = task("b");
    complete("w", new Completion.Finish(claimed.ref(), null, List.of(next)));
    assertThat(get(next.id()).state()).isEqualTo(TaskState.PENDING);
    assertThat(claimOne("w").task().id()).isEqualTo(next.id());
  }

  @Test
  void finishes_in_one_batch_link_each_task_and_its_continuation_both_ways_and_a_second_hop_keeps_the_root() {
    insert(task("a"));
    insert(task("a"));
    List<ClaimedTask> claimed = claim("w", 2);
    NewTask[] next = {task("b"), task("b")};
    store.complete(new Complete("w", List.of(
        new Completion.Finish(claimed.get(0).ref(), null, List.of(next[0])),
        new Completion.Finish(claimed.get(1).ref(), null, List.of(next[1]))), clock.pinned()));

    for (int i = 0; i < 2; i++) {
      TaskId first = claimed.get(i).task().id();
      assertThat(get(first).continuedBy()).isEqualTo(next[i].id());
      assertThat(get(first).continues()).isNull();
      assertThat(get(next[i].id()).continues()).isEqualTo(first);
      assertThat(get(first).lastStep()).isEqualTo(new TaskView.LastStep(next[i].id(), TaskState.PENDING, clock.instant()));
    }
    ClaimedTask second = claimOne("w");
    NewTask third = task("a");
    complete("w", new Completion.Finish(second.ref(), null, List.of(third)));
    TaskId first = claimed.get(next[0].id().equals(second.task().id()) ? 0 : 1).task().id();
    assertThat(get(first).lastStep().id()).isEqualTo(third.id());
    assertThat(get(second.task().id()).lastStep().id()).isEqualTo(third.id());
    assertThat(get(third.id()).continues()).isEqualTo(second.task().id());
  }

  @Test
  void a_continuation_that_a_waiting_task_covers_links_nothing() {
    TaskId waiting = insert(task("b", 0, clock.instant().plusSeconds(3600), 6).withBatchKey("k"));
    TaskId id = insert(task("a"));
    ClaimedTask claimed = claimOne("w");
    complete("w", new Completion.Finish(claimed.ref(), null, List.of(task("b").withBatchKey("k"))));

    assertThat(get(id).state()).isEqualTo(TaskState.FINISHED);
    assertThat(get(id).continuedBy()).isNull();
    assertThat(get(id).lastStep()).isNull();
    assertThat(get(waiting).continues()).isNull();
  }

  @Test
  void a_retry_goes_back_to_pending_at_its_time_with_the_attempt_counted() {
    TaskId id = insert(task("a"));
    ClaimedTask claimed = claimOne("w");
    complete("w", new Completion.Retry(claimed.ref(), null, Duration.ofSeconds(10), "boom\nstack"));

    TaskView task = get(id);
    assertThat(task.state()).isEqualTo(TaskState.PENDING);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.error()).isEqualTo("boom\nstack");
    assertThat(task.runAt()).isEqualTo(clock.instant().plusSeconds(10));
    assertThat(claim("w", 1)).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    assertThat(claimOne("w").task().attempts()).isEqualTo(2);
  }

  @Test
  void a_failed_task_is_final() {
    TaskId id = insert(task("a"));
    complete("w", new Completion.Fail(claimOne("w").ref(), "bad data"));
    assertThat(get(id).state()).isEqualTo(TaskState.FAILED);
    assertThat(get(id).error()).isEqualTo("bad data");
    clock.advance(Duration.ofDays(1));
    assertThat(claim("w", 10)).isEmpty();
  }

  @Test
  void a_released_run_goes_back_without_counting_the_attempt() {
    TaskId id = insert(task("a"));
    complete("w", new Completion.Release(claimOne("w").ref(), "shutdown"));
    assertThat(get(id).state()).isEqualTo(TaskState.PENDING);
    assertThat(get(id).attempts()).isZero();
    assertThat(claimOne("w").task().attempts()).isEqualTo(1);
  }

  @Test
  void attempts_never_exceed_max_attempts() {
    TaskId id = insert(task("a", 0, null, 2));
    for (int run = 0; run < 2; run++) {
      ClaimedTask claimed = claimOne("w");
      complete("w", new Completion.Retry(claimed.ref(), clock.instant(), null, "boom"));
    }
    assertThat(get(id).attempts()).isEqualTo(2);
    assertThat(claim("w", 10)).isEmpty();
  }

  // ---- leases --------------------------------------------------------------------------------

  @Test
  void finishing_a_task_whose_lease_was_lost_changes_nothing() {
    TaskId id = insert(task("a"));
    ClaimedTask first = claimOne("w1");
    clock.advance(LEASE.plusSeconds(1));
    List<Released> released = store.releaseExpired(new ReleaseExpired(clock.pinned()));
    assertThat(released).containsExactly(new Released(id, "w1", TaskState.PENDING));
    ClaimedTask second = claimOne("w2");
    assertThat(second.task().attempts()).isEqualTo(2);

    CompleteResult late = complete("w1", finish(first));
    assertThat(late.applied()).isZero();
    assertThat(late.fenced()).containsExactly(first.ref());
    assertThat(store.note(new RunNote(first.ref(), "w1", 50, "late", clock.pinned()))).isFalse();
    assertThat(get(id).state()).isEqualTo(TaskState.RUNNING);
    assertThat(get(id).leaseOwner()).isEqualTo("w2");

    complete("w2", finish(second));
    assertThat(get(id).state()).isEqualTo(TaskState.FINISHED);
  }

  @Test
  void in_one_batch_a_stale_run_is_fenced_and_its_continuation_dropped_while_the_live_run_applies() {
    TaskId id = insert(task("a"));
    ClaimedTask stale = claimOne("w");
    clock.advance(LEASE.plusSeconds(1));
    store.releaseExpired(new ReleaseExpired(clock.pinned()));
    ClaimedTask fresh = claimOne("w");
    NewTask fromStale = task("b");
    NewTask fromFresh = task("b");

    CompleteResult result = store.complete(new Complete("w", List.of(
        new Completion.Finish(stale.ref(), null, List.of(fromStale)),
        new Completion.Finish(fresh.ref(), null, List.of(fromFresh))), clock.pinned()));

    assertThat(result.applied()).isEqualTo(1);
    assertThat(result.fenced()).containsExactly(stale.ref());
    assertThat(store.get(fromStale.id())).isEmpty();
    assertThat(store.get(fromFresh.id())).isPresent();
    assertThat(get(id).state()).isEqualTo(TaskState.FINISHED);
  }

  @Test
  void a_zombie_out_of_attempts_becomes_failed() {
    TaskId id = insert(task("a", 0, null, 1));
    claimOne("w1");
    clock.advance(LEASE.plusSeconds(1));
    assertThat(store.releaseExpired(new ReleaseExpired(clock.pinned())))
        .containsExactly(new Released(id, "w1", TaskState.FAILED));
    assertThat(get(id).state()).isEqualTo(TaskState.FAILED);
    assertThat(get(id).error()).contains("lease expired");
  }

  @Test
  void a_heartbeat_extends_the_lease_and_reports_runs_it_lost() {
    insert(task("a"));
    insert(task("a"));
    List<ClaimedTask> claimed = claim("w", 2);
    clock.advance(Duration.ofSeconds(20));
    store.cancel(new Cancel(claimed.get(1).task().id(), "test", clock.pinned()));
    List<LeaseRef> lost = store.heartbeat(new Heartbeat("w",
        claimed.stream().map(ClaimedTask::ref).toList(), LEASE, clock.pinned()));
    assertThat(lost).containsExactly(claimed.get(1).ref());

    clock.advance(Duration.ofSeconds(20)); // past the first lease, within the extended one
    assertThat(store.releaseExpired(new ReleaseExpired(clock.pinned()))).isEmpty();
    assertThat(get(claimed.get(0).task().id()).state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void release_owner_takes_back_only_that_owners_runs() {
    TaskId mine = insert(task("a"));
    claimOne("host-1");
    TaskId theirs = insert(task("a"));
    claimOne("host-2");
    assertThat(store.releaseOwner(new ReleaseOwner("host-1", clock.pinned())))
        .containsExactly(new Released(mine, "host-1", TaskState.PENDING));
    assertThat(get(mine).attempts()).isEqualTo(1);
    assertThat(get(theirs).state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void notes_set_progress_and_write_log_lines_while_the_lease_holds() {
    TaskId id = insert(task("a"));
    ClaimedTask claimed = claimOne("w");
    assertThat(store.note(new RunNote(claimed.ref(), "w", 40, "halfway", clock.pinned()))).isTrue();
    assertThat(store.note(new RunNote(claimed.ref(), "w", null, "still going", clock.pinned()))).isTrue();
    assertThat(get(id).progress()).isEqualTo(40);
    assertThat(store.log(id)).extracting(TaskLogEntry::message).contains("halfway", "still going");
  }

  // ---- cancel --------------------------------------------------------------------------------

  @Test
  void a_cancelled_task_never_starts() {
    TaskId id = insert(task("a"));
    assertThat(store.cancel(new Cancel(id, "no longer needed", clock.pinned())))
        .hasValueSatisfying(t -> assertThat(t.state()).isEqualTo(TaskState.CANCELLED));
    assertThat(claim("w", 10)).isEmpty();
    assertThat(store.log(id).getLast().message()).isEqualTo("no longer needed");
  }

  @Test
  void cancelling_a_running_task_fences_its_outcome() {
    TaskId id = insert(task("a"));
    ClaimedTask claimed = claimOne("w");
    store.cancel(new Cancel(id, "stop", clock.pinned()));
    assertThat(complete("w", finish(claimed)).fenced()).containsExactly(claimed.ref());
    assertThat(get(id).state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void cancelling_a_final_task_changes_nothing_and_an_unknown_one_is_empty() {
    TaskId id = insert(task("a"));
    complete("w", finish(claimOne("w")));
    assertThat(store.cancel(new Cancel(id, "late", clock.pinned())))
        .hasValueSatisfying(t -> assertThat(t.state()).isEqualTo(TaskState.FINISHED));
    assertThat(store.cancel(new Cancel(ids.next(), "none", clock.pinned()))).isEmpty();
  }

  // ---- reading -------------------------------------------------------------------------------

  // ---- run now, retry, capacity -------------------------------------------------------------

  @Test
  void claiming_one_by_id_takes_it_before_its_run_at_and_only_while_pending() {
    TaskId later = insert(task("a", 0, clock.instant().plus(Duration.ofHours(1)), 6));
    TaskId other = insert(task("a"));

    ClaimedTask claimed = store.claimOne(new ClaimOne(later, "w1", LEASE, clock.pinned(), Map.of())).orElseThrow();
    assertThat(claimed.task().id()).isEqualTo(later);
    assertThat(claimed.task().attempts()).isEqualTo(1);
    assertThat(get(later).state()).isEqualTo(TaskState.RUNNING);
    assertThat(get(later).leaseOwner()).isEqualTo("w1");
    assertThat(get(other).state()).isEqualTo(TaskState.PENDING);
    assertThat(store.log(later)).extracting(TaskLogEntry::to).containsExactly(TaskState.RUNNING);

    assertThat(store.claimOne(new ClaimOne(later, "w2", LEASE, clock.pinned(), Map.of()))).isEmpty();
    assertThat(complete("w1", finish(claimed)).fenced()).isEmpty();
    assertThat(store.claimOne(new ClaimOne(later, "w2", LEASE, clock.pinned(), Map.of()))).isEmpty();
    assertThat(store.claimOne(new ClaimOne(new TaskId("ffffffffffffffffffffffff"), "w2", LEASE, clock.pinned(), Map.of())))
        .isEmpty();
  }

  @Test
  void a_requeued_failed_task_is_pending_now_with_fresh_attempts_and_keeps_its_error() {
    TaskId id = insert(task("a", 0, null, 1));
    ClaimedTask run = claimOne("w1");
    complete("w1", new Completion.Fail(run.ref(), "boom"));
    clock.advance(Duration.ofMinutes(1));

    TaskView requeued = store.requeue(new Requeue(id, "retried by request", clock.pinned(), null)).orElseThrow();
    assertThat(requeued.state()).isEqualTo(TaskState.PENDING);
    assertThat(requeued.attempts()).isZero();
    assertThat(requeued.runAt()).isEqualTo(clock.instant());
    assertThat(requeued.error()).contains("boom");
    assertThat(requeued.finishedAt()).isNull();
    assertThat(store.log(id)).extracting(TaskLogEntry::to).last().isEqualTo(TaskState.PENDING);
    assertThat(claimOne("w2").task().attempts()).isEqualTo(1);
  }

  @Test
  void requeueing_a_task_that_is_not_failed_changes_nothing() {
    TaskId pending = insert(task("a"));
    assertThat(store.requeue(new Requeue(pending, "r", clock.pinned(), null)).orElseThrow().state())
        .isEqualTo(TaskState.PENDING);
    assertThat(store.log(pending)).isEmpty();
    TaskId finished = insert(task("b"));
    ClaimedTask run = claim("w1", 2).stream().filter(c -> c.task().id().equals(finished)).findFirst().orElseThrow();
    complete("w1", finish(run));
    assertThat(store.requeue(new Requeue(finished, "r", clock.pinned(), null)).orElseThrow().state())
        .isEqualTo(TaskState.FINISHED);
    assertThat(store.requeue(new Requeue(new TaskId("ffffffffffffffffffffffff"), "r", clock.pinned(), null))).isEmpty();
  }

  @Test
  void a_requeue_is_refused_past_the_capacity_or_while_another_task_holds_its_unique_key() {
    TaskId failed = insert(task("a", 0, null, 1).withUniqueKey("only-one"));
    complete("w1", new Completion.Fail(claimOne("w1").ref(), "boom"));
    TaskId holder = insert(task("a").withUniqueKey("only-one"));

    assertThatThrownBy(() -> store.requeue(new Requeue(failed, "r", clock.pinned(), null)))
        .isInstanceOf(dev.party.error.TaskConflictException.class);
    assertThatThrownBy(() -> store.requeue(new Requeue(failed, "r", clock.pinned(), 1)))
        .isInstanceOf(QueueFullException.class);
    assertThat(get(failed).state()).isEqualTo(TaskState.FAILED);
    assertThat(store.log(failed)).extracting(TaskLogEntry::to).last().isEqualTo(TaskState.FAILED);

    store.cancel(new Cancel(holder, "make room", clock.pinned()));
    assertThat(store.requeue(new Requeue(failed, "r", clock.pinned(), 1)).orElseThrow().state())
        .isEqualTo(TaskState.PENDING);
  }

  @Test
  void requeue_all_puts_back_every_failed_task_of_the_list_with_fresh_attempts_and_a_log_entry_each() {
    List<TaskId> failed = List.of(insert(task("a", 0, null, 1)), insert(task("b", 0, null, 1)), insert(task("a", 0, null, 1)));
    TaskId finished = insert(task("a"));
    List<Completion> outcomes = new ArrayList<>();
    for (ClaimedTask run : claim("w1", 4)) {
      outcomes.add(run.task().id().equals(finished) ? finish(run) : new Completion.Fail(run.ref(), "boom"));
    }
    store.complete(new Complete("w1", outcomes, clock.pinned()));
    TaskId pending = insert(task("b"));
    clock.advance(Duration.ofMinutes(1));

    List<TaskId> listed = new ArrayList<>(failed);
    listed.addAll(List.of(finished, pending, new TaskId("ffffffffffffffffffffffff")));
    int requeued = store.requeueAll(listed.stream().map(id -> new Requeue(id, "retried in bulk", clock.pinned(), null)).toList());

    assertThat(requeued).isEqualTo(3);
    for (TaskId id : failed) {
      TaskView task = get(id);
      assertThat(task.state()).isEqualTo(TaskState.PENDING);
      assertThat(task.attempts()).isZero();
      assertThat(task.runAt()).isEqualTo(clock.instant());
      assertThat(task.finishedAt()).isNull();
      assertThat(task.error()).contains("boom");
      assertThat(store.log(id)).filteredOn(entry -> entry.to() == TaskState.PENDING).singleElement()
          .satisfies(entry -> {
            assertThat(entry.from()).isEqualTo(TaskState.FAILED);
            assertThat(entry.message()).isEqualTo("retried in bulk");
            assertThat(entry.at()).isEqualTo(clock.instant());
          });
    }
    assertThat(get(finished).state()).isEqualTo(TaskState.FINISHED);
    assertThat(store.log(finished)).extracting(TaskLogEntry::to).last().isEqualTo(TaskState.FINISHED);
    assertThat(get(pending).state()).isEqualTo(TaskState.PENDING);
    assertThat(store.log(pending)).isEmpty();
    assertThat(store.requeueAll(listed.stream().map(id -> new Requeue(id, "again", clock.pinned(), null)).toList()))
        .as("nothing is FAILED any more").isZero();
    assertThat(store.requeueAll(List.of())).isZero();
  }

  @Test
  void requeue_all_passes_over_a_task_whose_unique_key_is_held_or_whose_handler_is_full_and_requeues_the_rest() {
    TaskId keyed = insert(task("a", 0, null, 1).withUniqueKey("only-one"));
    TaskId plain = insert(task("a", 0, null, 1));
    List<TaskId> ofB = List.of(insert(task("b", 0, null, 1)), insert(task("b", 0, null, 1)));
    List<Completion> failures = claim("w1", 4).stream()
        .<Completion>map(run -> new Completion.Fail(run.ref(), "boom")).toList();
    store.complete(new Complete("w1", failures, clock.pinned()));
    TaskId holder = insert(task("a").withUniqueKey("only-one"));
    insert(task("b"));

    // b may hold 2 unfinished tasks and holds 1: one of its two failed tasks fits, whichever comes first.
    List<Requeue> requests = new ArrayList<>();
    requests.add(new Requeue(keyed, "r", clock.pinned(), null));
    requests.add(new Requeue(plain, "r", clock.pinned(), null));
    ofB.forEach(id -> requests.add(new Requeue(id, "r", clock.pinned(), 2)));

    assertThat(store.requeueAll(requests)).isEqualTo(2);
    assertThat(get(keyed).state()).isEqualTo(TaskState.FAILED);
    assertThat(store.log(keyed)).extracting(TaskLogEntry::to).last().isEqualTo(TaskState.FAILED);
    assertThat(get(holder).state()).isEqualTo(TaskState.PENDING);
    assertThat(get(plain).state()).isEqualTo(TaskState.PENDING);
    assertThat(ofB).extracting(id -> get(id).state())
        .containsExactlyInAnyOrder(TaskState.PENDING, TaskState.FAILED);
    assertThat(ofB).filteredOn(id -> get(id).state() == TaskState.FAILED).singleElement()
        .satisfies(id -> assertThat(store.log(id)).extracting(TaskLogEntry::to).last().isEqualTo(TaskState.FAILED));

    store.cancel(new Cancel(holder, "make room", clock.pinned()));
    assertThat(store.requeueAll(List.of(new Requeue(keyed, "r", clock.pinned(), null)))).isEqualTo(1);
    assertThat(get(keyed).state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void an_insert_past_a_capacity_stores_nothing_and_room_comes_back_as_tasks_end() {
    var capacities = java.util.Map.of("a", 2);
    store.insert(new InsertTasks(List.of(task("a")), clock.pinned(), capacities));
    assertThatThrownBy(() -> store.insert(new InsertTasks(List.of(task("b"), task("a"), task("a")), clock.pinned(), capacities)))
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("'a'");
    assertThat(store.status().states()).containsEntry(TaskState.PENDING, 1L);

    store.insert(new InsertTasks(List.of(task("a"), task("b")), clock.pinned(), capacities));
    ClaimedTask running = claimOne("w1");
    assertThatThrownBy(() -> store.insert(new InsertTasks(List.of(task("a")), clock.pinned(), capacities)))
        .isInstanceOf(QueueFullException.class);
    complete("w1", finish(running));
    store.insert(new InsertTasks(List.of(task("a")), clock.pinned(), capacities));
  }

  @Test
  void concurrent_inserts_are_each_all_or_none_when_some_of_them_are_refused() throws Exception {
    int threads = 8;
    int rounds = 25;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger stored = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < rounds; i++) {
            // Every third batch repeats a key inside itself, so it must be refused whole.
            String key = "k-" + thread + "-" + i;
            NewTask last = i % 3 == 0 ? task("a").withUniqueKey(key) : task("a");
            try {
              store.insert(new InsertTasks(List.of(task("a"), task("b").withUniqueKey(key), last), clock.pinned()));
              stored.incrementAndGet();
            } catch (PartyException e) {
              refused.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) future.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(refused.get()).isEqualTo(threads * 9);
    assertThat(stored.get()).isEqualTo(threads * rounds - refused.get());
    assertThat(store.status().states()).containsEntry(TaskState.PENDING, 3L * stored.get());
  }

  @Test
  void concurrent_inserts_never_go_past_a_capacity() throws Exception {
    var capacities = java.util.Map.of("a", 10);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger stored = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 10; i++) {
            try {
              store.insert(new InsertTasks(List.of(task("a")), clock.pinned(), capacities));
              stored.incrementAndGet();
            } catch (QueueFullException full) {
              // expected once the ten slots are gone
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) future.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(stored.get()).isEqualTo(10);
    assertThat(store.status().states()).containsEntry(TaskState.PENDING, 10L);
  }

  @Test
  void listing_filters_by_state_and_handler_and_pages_newest_first() {
    List<TaskId> inserted = new ArrayList<>();
    for (int i = 0; i < 5; i++) inserted.add(insert(task(i < 3 ? "a" : "b")));
    List<TaskView> firstPage = store.list(TaskQuery.all().limit(2));
    assertThat(firstPage).extracting(TaskView::id).containsExactly(inserted.get(4), inserted.get(3));
    assertThat(store.list(TaskQuery.all().limit(2).before(firstPage.getLast().id())))
        .extracting(TaskView::id).containsExactly(inserted.get(2), inserted.get(1));
    assertThat(store.list(TaskQuery.all().handler("b"))).hasSize(2);
    complete("w", finish(claimOne("w")));
    assertThat(store.list(TaskQuery.all().state(TaskState.FINISHED))).hasSize(1);
  }

  @Test
  void status_counts_states_and_names_the_next_pending_task_per_handler() {
    TaskId laterA = insert(task("a", 0, clock.instant().plusSeconds(5), 6));
    TaskId firstA = insert(task("a", 0, clock.instant(), 6));
    insert(task("b"));
    TaskId failing = insert(task("c"));
    store.complete(new Complete("w", List.of(new Completion.Fail(
        store.claim(new Claim("w", Set.of("c"), null, 1, LEASE, clock.pinned(), Map.of())).getFirst().ref(),
        "x")), clock.pinned()));

    StoreStatus status = store.status();
    assertThat(status.states()).containsEntry(TaskState.PENDING, 3L).containsEntry(TaskState.FAILED, 1L);
    assertThat(status.pending()).containsExactly(
        new StoreStatus.HandlerCount("a", 2, firstA.value()),
        new StoreStatus.HandlerCount("b", 1, status.pending().get(1).upcoming()));
    assertThat(status.failed()).containsExactly(new StoreStatus.HandlerCount("c", 1, null));
    assertThat(new HashSet<>(List.of(laterA, failing))).hasSize(2);
  }

  @Test
  void restarts_are_counted_per_supervisor_and_summed() {
    assertThat(store.restartedWorkers()).isZero();
    store.recordRestart("host-a-supervisor");
    store.recordRestart("host-a-supervisor");
    store.recordRestart("host-b-supervisor");
    assertThat(store.restartedWorkers()).isEqualTo(3);
  }

  @Test
  void concurrent_restarts_of_one_supervisor_are_all_counted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 20; i++) calls.add(pool.submit(() -> store.recordRestart("busy-supervisor")));
      for (Future<?> call : calls) call.get();
    } finally {
      pool.shutdown();
    }
    assertThat(store.restartedWorkers()).isEqualTo(20);
  }
}
