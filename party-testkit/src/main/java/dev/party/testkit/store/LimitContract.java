package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.engine.TaskIds;
import dev.party.error.InvalidTaskException;
import dev.party.error.TaskConflictException;
import dev.party.store.Claim;
import dev.party.store.ClaimOne;
import dev.party.store.ClaimedTask;
import dev.party.store.Complete;
import dev.party.store.Completion;
import dev.party.store.InsertTasks;
import dev.party.store.Limits;
import dev.party.store.NewTask;
import dev.party.store.TaskStore;
import dev.party.task.Outcome;
import dev.party.task.RateLimit;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import dev.party.task.TaskView;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrency and rate limits ({@link Claim#limits}): claims never start more than a limit allows,
 * per handler and per limit key, from many threads on two store objects (two nodes); held-back
 * tasks stay PENDING without an attempt and start later; rate windows move with the pinned clock.
 */
public abstract class LimitContract extends StoreContract {
  protected static final Duration LEASE = Duration.ofSeconds(30);
  /** 1,900,000,020 s is a whole minute, so a one-minute window starts at the pinned time. */
  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_020L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(11));
  private TaskStore other;

  /** Another store object over the same data: another node. */
  protected abstract TaskStore openSameStore() throws Exception;

  @AfterEach
  void closeStores() throws Exception {
    if (other != null) other.close();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private NewTask task(String handler, String limitKey) {
    String data = "{\"key\":\"" + (limitKey == null ? "" : limitKey) + "\"}";
    return new NewTask(ids.next(), handler, "default", data, 0, null, null, 6, null, null).withLimitKey(limitKey);
  }

  private List<TaskId> insert(int count, String handler, String limitKey) {
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < count; i++) tasks.add(task(handler, limitKey));
    store.insert(new InsertTasks(tasks, clock.pinned()));
    return tasks.stream().map(NewTask::id).toList();
  }

  private static List<ClaimedTask> claim(TaskStore on, String owner, int limit, Map<String, Limits> limits,
      MutableClock clock) {
    return on.claim(new Claim(owner, Set.of("video", "plain"), null, limit, LEASE, clock.pinned(), limits));
  }

  private List<ClaimedTask> claim(int limit, Map<String, Limits> limits) {
    return claim(store, "w", limit, limits, clock);
  }

  private void finish(List<ClaimedTask> runs) {
    store.complete(new Complete("w", runs.stream()
        .<Completion>map(c -> new Completion.Finish(c.ref(), "{}", List.of())).toList(), clock.pinned()));
  }

  private TaskView get(TaskId id) {
    return store.get(id).orElseThrow();
  }

  private static Map<String, Limits> concurrency(int n) {
    return Map.of("video", new Limits(n, null));
  }

  private static Map<String, Limits> rate(int starts, Duration window) {
    return Map.of("video", new Limits(null, new RateLimit(starts, window)));
  }

  private static long handled(List<ClaimedTask> claimed, String handler) {
    return claimed.stream().filter(c -> c.task().handler().equals(handler)).count();
  }

  // ---- concurrency ---------------------------------------------------------------------------

  @Test
  void a_claim_starts_no_more_than_the_concurrency_limit_and_the_rest_wait_without_an_attempt() {
    List<TaskId> videos = insert(5, "video", null);
    insert(3, "plain", null);

    List<ClaimedTask> claimed = claim(10, concurrency(2));
    assertThat(handled(claimed, "video")).isEqualTo(2);
    assertThat(handled(claimed, "plain")).as("held-back tasks block no other task").isEqualTo(3);
    assertThat(claim(10, concurrency(2))).isEmpty();
    List<TaskView> waiting = videos.stream().map(this::get).filter(t -> t.state() == TaskState.PENDING).toList();
    assertThat(waiting).hasSize(3).allSatisfy(t -> assertThat(t.attempts()).isZero());

    finish(claimed.stream().filter(c -> c.task().handler().equals("video")).limit(1).toList());
    List<ClaimedTask> next = claim(10, concurrency(2));
    assertThat(next).hasSize(1);
    assertThat(next.getFirst().task().attempts()).isEqualTo(1);
  }

  @Test
  void with_limit_keys_the_limit_holds_for_each_key_on_its_own() {
    insert(3, "video", "customer-1");
    insert(3, "video", "customer-2");
    insert(3, "video", null);

    List<ClaimedTask> claimed = claim(10, concurrency(1));
    assertThat(claimed).extracting(c -> c.task().data())
        .containsExactlyInAnyOrder("{\"key\":\"customer-1\"}", "{\"key\":\"customer-2\"}", "{\"key\":\"\"}");
    assertThat(claim(10, concurrency(1))).isEmpty();
  }

  @Test
  void a_claim_without_the_limits_takes_the_tasks_as_any_other() {
    insert(3, "video", null);
    assertThat(claim(10, Map.of())).hasSize(3);
  }

  @Test
  void many_concurrent_claimers_on_two_nodes_never_exceed_the_limit_per_type_and_per_key() throws Exception {
    other = openSameStore();
    int perKey = 30;
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < perKey; i++) {
      batch.add(task("video", null));
      batch.add(task("video", "c1"));
      batch.add(task("video", "c2"));
      batch.add(task("plain", null));
    }
    store.insert(new InsertTasks(batch, clock.pinned()));
    Map<String, Limits> limits = concurrency(2);

    int threads = 8;
    ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Integer> most = new ConcurrentHashMap<>();
    AtomicInteger finished = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        TaskStore node = t % 2 == 0 ? store : other;
        String owner = "w" + t;
        futures.add(pool.submit(() -> {
          start.await();
          // Each thread holds its runs through its next claim, so runs overlap as much as they may.
          List<ClaimedTask> held = List.of();
          for (int empty = 0; empty < 3; ) {
            List<ClaimedTask> claimed = claim(node, owner, 2, limits, clock);
            for (ClaimedTask c : claimed) {
              if (!c.task().handler().equals("video")) continue;
              int now = running.computeIfAbsent(c.task().data(), k -> new AtomicInteger()).incrementAndGet();
              most.merge(c.task().data(), now, Math::max);
            }
            // Counted down before the finish is written: the count never exceeds the RUNNING rows.
            for (ClaimedTask c : held) {
              if (c.task().handler().equals("video")) running.get(c.task().data()).decrementAndGet();
            }
            finished.addAndGet(node.complete(new Complete(owner, held.stream()
                .<Completion>map(c -> new Completion.Finish(c.ref(), "{}", List.of())).toList(), clock.pinned()))
                .applied());
            held = claimed;
            if (claimed.isEmpty()) empty++;
          }
          return null;
        }));
      }
      for (Future<?> future : futures) future.get();
    } finally {
      pool.shutdownNow();
    }
    for (List<ClaimedTask> rest; !(rest = claim(100, limits)).isEmpty(); ) {
      finish(rest);
      finished.addAndGet(rest.size());
    }
    assertThat(most).containsOnlyKeys("{\"key\":\"\"}", "{\"key\":\"c1\"}", "{\"key\":\"c2\"}");
    assertThat(most.values()).allSatisfy(max -> assertThat(max).isLessThanOrEqualTo(2));
    assertThat(finished.get()).isEqualTo(4 * perKey);
    assertThat(store.status().states().get(TaskState.FINISHED)).isEqualTo(4L * perKey);
  }

  // ---- rate ----------------------------------------------------------------------------------

  @Test
  void a_rate_limit_caps_starts_per_window_and_the_next_window_counts_afresh() {
    List<TaskId> videos = insert(8, "video", null);
    Map<String, Limits> limits = rate(3, Duration.ofMinutes(1));

    List<ClaimedTask> first = claim(10, limits);
    assertThat(first).hasSize(3);
    finish(first);
    clock.advance(Duration.ofSeconds(59));
    assertThat(claim(10, limits)).as("finished runs still count in their window").isEmpty();
    assertThat(videos.stream().map(this::get).filter(t -> t.state() == TaskState.PENDING))
        .hasSize(5).allSatisfy(t -> assertThat(t.attempts()).isZero());

    clock.advance(Duration.ofSeconds(1));
    List<ClaimedTask> second = claim(1, limits);
    assertThat(second).hasSize(1);
    assertThat(claim(10, limits)).hasSize(2);
    assertThat(claim(10, limits)).isEmpty();
  }

  @Test
  void a_rate_limit_counts_each_limit_key_on_its_own() {
    insert(3, "video", "c1");
    insert(3, "video", "c2");
    assertThat(claim(10, rate(2, Duration.ofSeconds(10)))).hasSize(4);
    clock.advance(Duration.ofSeconds(10));
    assertThat(claim(10, rate(2, Duration.ofSeconds(10)))).hasSize(2);
  }

  @Test
  void concurrency_and_rate_limits_hold_together() {
    insert(6, "video", null);
    Map<String, Limits> both = Map.of("video", new Limits(2, new RateLimit(3, Duration.ofMinutes(1))));
    List<ClaimedTask> first = claim(10, both);
    assertThat(first).hasSize(2);
    finish(first);
    assertThat(claim(10, both)).as("the third start of the window").hasSize(1);
    assertThat(claim(10, both)).isEmpty();
  }

  // ---- run now -------------------------------------------------------------------------------

  @Test
  void run_now_of_a_task_held_back_by_a_concurrency_limit_is_refused_with_a_conflict() {
    insert(1, "video", "c1");
    TaskId held = insert(1, "video", "c1").getFirst();
    TaskId otherKey = insert(1, "video", "c2").getFirst();
    assertThat(claim(1, concurrency(1))).hasSize(1);

    assertThatThrownBy(() -> store.claimOne(new ClaimOne(held, "w", LEASE, clock.pinned(), concurrency(1))))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining(held.value())
        .hasMessageContaining("concurrency limit of 1")
        .hasMessageContaining("'c1'");
    assertThat(get(held).state()).isEqualTo(TaskState.PENDING);
    assertThat(get(held).attempts()).isZero();
    assertThat(store.claimOne(new ClaimOne(otherKey, "w", LEASE, clock.pinned(), concurrency(1)))).isPresent();
  }

  @Test
  void run_now_counts_against_a_rate_limit_and_is_refused_past_it() {
    List<TaskId> videos = insert(3, "video", null);
    Map<String, Limits> limits = rate(2, Duration.ofMinutes(1));
    assertThat(store.claimOne(new ClaimOne(videos.get(0), "w", LEASE, clock.pinned(), limits))).isPresent();
    assertThat(claim(10, limits)).hasSize(1);
    assertThatThrownBy(() -> store.claimOne(new ClaimOne(videos.get(2), "w", LEASE, clock.pinned(), limits)))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("rate limit of 2 per PT1M");
    assertThat(get(videos.get(2)).attempts()).isZero();
  }

  // ---- through the engine, and bad settings --------------------------------------------------

  @Test
  void held_back_tasks_run_later_through_the_engine_with_one_attempt_each() {
    AtomicInteger runs = new AtomicInteger();
    try (Party party = Party.builder(store).clock(clock).workerId("limits-1")
        .handlers(h -> h.handler(TaskType.of("video").concurrency(1).rateLimit(2, Duration.ofMinutes(1)), JsonNode.class, context -> {
          runs.incrementAndGet();
          return Outcome.done();
        }))
        .build()) {
      List<TaskId> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) ids.add(party.enqueue(TaskRequest.of("video").limitKey("customer-" + i % 2)));
      assertThat(party.runDue()).isEqualTo(4);
      clock.advance(Duration.ofMinutes(1));
      assertThat(party.runDue()).isEqualTo(1);
      assertThat(runs).hasValue(5);
      assertThat(ids).allSatisfy(id -> {
        assertThat(get(id).state()).isEqualTo(TaskState.FINISHED);
        assertThat(get(id).attempts()).isEqualTo(1);
      });
    }
  }

  @Test
  void bad_limit_settings_are_refused_clearly() {
    assertThatThrownBy(() -> TaskType.of("video").concurrency(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, not 0");
    assertThatThrownBy(() -> TaskType.of("video").concurrency(-2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not -2");
    assertThatThrownBy(() -> TaskType.of("video").rateLimit(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 start");
    assertThatThrownBy(() -> TaskType.of("video").rateLimit(5, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> TaskType.of("video").rateLimit(5, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> TaskType.of("video").singleton(SingletonPolicy.WAIT).concurrency(1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("singleton");
    assertThatThrownBy(() -> new Limits(0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskRequest.of("video").limitKey(" "))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("limitKey");

    try (Party party = Party.builder(store).clock(clock).workerId("limits-2")
        .handlers(h -> h.handler("plain", context -> Outcome.done())).build()) {
      assertThatThrownBy(() -> party.enqueue(TaskRequest.of("plain").limitKey("c1")))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining("no concurrency or rate limit");
    }
  }
}
