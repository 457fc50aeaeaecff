package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.PartyBuilder;
import dev.party.error.InvalidTaskException;
import dev.party.error.TaskConflictException;
import dev.party.error.UnknownHandlerException;
import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.Complete;
import dev.party.store.Completion;
import dev.party.store.WorkerView;
import dev.party.task.Enqueued;
import dev.party.task.FunctionRef;
import dev.party.task.Outcome;
import dev.party.task.PartyTask;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import dev.party.task.TaskView;
import dev.party.testkit.MutableClock;
import dev.party.testkit.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's behaviour over a real store: handler styles, retries, leases, shutdown. Most tests
 * run tasks on the test's own thread with {@link Party#runDue()} and a {@link MutableClock}; the
 * threaded ones wait on facts with Awaitility.
 */
public abstract class EngineContract extends StoreContract {
  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  protected final RecordingListener events = new RecordingListener();
  private final List<Party> parties = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    parties.forEach(Party::close);
  }

  protected PartyBuilder builder() {
    return Party.builder(store).clock(clock).random(new SplittableRandom(1)).listener(events)
        .workerId("test-1").workers(2);
  }

  protected Party party(PartyBuilder builder) {
    Party party = builder.build();
    parties.add(party);
    return party;
  }

  protected TaskView task(Party party, TaskId id) {
    return party.task(id).orElseThrow();
  }

  /** Runs due tasks, moving the clock an hour at a time past every retry, until nothing is left. */
  protected void runUntilSettled(Party party) {
    for (int round = 0; round < 20; round++) {
      party.runDue();
      clock.advance(Duration.ofHours(1));
    }
  }

  // ---- handler styles ------------------------------------------------------------------------

  /** A class-style task that records what it saw. */
  public static final class Recorder extends PartyTask {
    static final Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    protected void run() {
      seen.put(id().value(), "%s|%s|%d|%s|%s".formatted(
          data().path("arg1").asText(), timestamp(), attempts(), lastRunOn(), isRecurring()));
      result(Map.of("echo", data().path("arg1").asText()));
    }
  }

  @Test
  void a_class_style_task_reads_its_attributes_and_stores_its_result() {
    Party party = party(builder().handlers(h -> h.task("Recorder", Recorder::new)));
    TaskId id = party.enqueue(TaskRequest.of("Recorder", Map.of("arg1", "val1")));
    assertThat(party.runDue()).isEqualTo(1);

    TaskView task = task(party, id);
    assertThat(task.state()).isEqualTo(TaskState.FINISHED);
    assertThat(task.result()).isEqualTo("{\"echo\":\"val1\"}");
    assertThat(Recorder.seen.get(id.value())).isEqualTo("val1|" + clock.instant() + "|1|null|false");
    assertThat(party.log(id)).extracting(TaskLogEntry::to)
        .containsExactly(TaskState.PENDING, TaskState.RUNNING, TaskState.FINISHED);
  }

  /** Recurs every 30 minutes from its own timestamp, as the seeds' example does. */
  public static final class Every30Minutes extends PartyTask {
    @Override
    public boolean isRecurring() {
      return true;
    }

    @Override
    protected void run() {}

    @Override
    protected void onComplete() {
      scheduleNextRun(Duration.ofMinutes(30));
    }
  }

  @Test
  void a_recurring_class_task_schedules_its_next_run_with_last_run_on() {
    Party party = party(builder().handlers(h -> h.task("Every30Minutes", Every30Minutes::new)));
    TaskId first = party.enqueue(TaskRequest.of("Every30Minutes"));
    Instant firstRun = clock.instant();
    party.runDue();

    List<TaskView> pending = party.tasks(TaskQuery.all().state(TaskState.PENDING));
    assertThat(pending).singleElement().satisfies(next -> {
      assertThat(next.id()).isNotEqualTo(first);
      assertThat(next.runAt()).isEqualTo(firstRun.plus(Duration.ofMinutes(30)));
      assertThat(next.lastRunOn()).isEqualTo(firstRun);
    });
    assertThat(party.runDue()).isZero();
    clock.advance(Duration.ofMinutes(30));
    assertThat(party.runDue()).isEqualTo(1);
    assertThat(party.tasks(TaskQuery.all().state(TaskState.FINISHED))).hasSize(2);
  }

  @Test
  void a_recurring_class_task_is_one_per_handler_and_data_as_the_seeds_say() {
    Party party = party(builder().handlers(h -> h.task("Every30Minutes", Every30Minutes::new)));
    party.enqueue(TaskRequest.of("Every30Minutes", Map.of("a", 1, "b", 2)));
    assertThatThrownBy(() -> party.enqueue(TaskRequest.of("Every30Minutes").withDataJson("{\"b\":2,\"a\":1}")))
        .isInstanceOf(dev.party.error.TaskConflictException.class);
    party.enqueue(TaskRequest.of("Every30Minutes", Map.of("a", 2)));

    party.runDue(); // both run and store their next runs, which take the keys over
    assertThat(party.tasks(TaskQuery.all().state(TaskState.PENDING))).hasSize(2);
    assertThatThrownBy(() -> party.enqueue(TaskRequest.of("Every30Minutes", Map.of("a", 2))))
        .isInstanceOf(dev.party.error.TaskConflictException.class);
  }

  public record Add(int x, int y) {}

  @Test
  void a_function_task_is_stored_with_delay_and_schedule_and_returns_its_result() {
    Party party = party(builder());
    FunctionRef<Add> add = party.function("add", Add.class, args -> args.x() + args.y());
    TaskId now = add.delay(new Add(2, 3));
    TaskId later = add.schedule(Duration.ofMinutes(10), new Add(1, 1));
    TaskId at = add.schedule(clock.instant().plusSeconds(5), new Add(0, 0));

    assertThat(party.runDue()).isEqualTo(1);
    assertThat(task(party, now).result()).isEqualTo("5");
    assertThat(task(party, later).displayState(clock.instant())).isEqualTo("SCHEDULED");
    clock.advance(Duration.ofMinutes(10));
    assertThat(party.runDue()).isEqualTo(2);
    assertThat(task(party, at).state()).isEqualTo(TaskState.FINISHED);
  }

  /** The handler's newer argument type: {@code note} was added after tasks were stored. */
  public record Greeting(String name, String note) {}

  @Test
  void old_stored_arguments_still_bind_after_an_optional_field_is_added() {
    Party party = party(builder());
    AtomicReference<Greeting> got = new AtomicReference<>();
    party.function("greet", Greeting.class, args -> {
      got.set(args);
      return null;
    });
    // Stored by an older version: no "note", and a field the handler no longer has.
    TaskId id = party.enqueue(TaskRequest.of("greet", "{\"name\":\"Ada\",\"retired\":true}"));
    party.runDue();
    assertThat(task(party, id).state()).isEqualTo(TaskState.FINISHED);
    assertThat(got.get()).isEqualTo(new Greeting("Ada", null));
  }

  @Test
  void data_that_no_longer_binds_fails_at_once_and_keeps_its_bytes() {
    Party party = party(builder());
    party.function("add", Add.class, args -> args.x() + args.y());
    TaskId id = party.enqueue(TaskRequest.of("add", "{\"x\":\"not a number\",\"y\":1}"));
    party.runDue();
    TaskView task = task(party, id);
    assertThat(task.state()).isEqualTo(TaskState.FAILED);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.error()).contains("does not bind to Add");
    assertThat(task.data()).isEqualTo("{\"x\":\"not a number\",\"y\":1}");
  }

  // ---- failures and retries ------------------------------------------------------------------

  @Test
  void a_failing_task_is_retried_with_backoff_then_fails_after_max_attempts() {
    AtomicInteger runs = new AtomicInteger();
    Party party = party(builder().handlers(h -> h.handler(TaskType.of("boom").maxAttempts(3), JsonNode.class,
        context -> {
          runs.incrementAndGet();
          throw new IllegalStateException("boom " + context.attempts());
        })));
    TaskId id = party.enqueue(TaskRequest.of("boom"));

    party.runDue();
    TaskView afterFirst = task(party, id);
    assertThat(afterFirst.state()).isEqualTo(TaskState.PENDING);
    assertThat(afterFirst.runAt()).isAfter(clock.instant());
    assertThat(afterFirst.error()).contains("IllegalStateException: boom 1");
    assertThat(party.runDue()).isZero();

    runUntilSettled(party);
    TaskView last = task(party, id);
    assertThat(runs).hasValue(3);
    assertThat(last.state()).isEqualTo(TaskState.FAILED);
    assertThat(last.attempts()).isEqualTo(3);
    assertThat(last.error()).contains("failed 3 of 3 attempts").contains("boom 3");
  }

  /** Fails every due task straight through the store: two transactions, however many there are. */
  private void failAllDue(Party party) {
    List<ClaimedTask> claimed = store.claim(new Claim("test-1", party.handlerNames(), null, 1_000,
        party.config().lease(), clock.pinned(), Map.of()));
    store.complete(new Complete("test-1",
        claimed.stream().<Completion>map(run -> new Completion.Fail(run.ref(), "boom")).toList(), clock.pinned()));
  }

  @Test
  void retry_failed_puts_back_the_failed_tasks_of_every_page_and_passes_over_a_full_handler() {
    Party party = party(builder().handlers(h -> h
        .handler(TaskType.of("boom").maxAttempts(1), JsonNode.class, context -> Outcome.done())
        .handler(TaskType.of("full").maxAttempts(1).capacity(1), JsonNode.class, context -> Outcome.done())));
    List<TaskId> boom = party.enqueueAll(java.util.Collections.nCopies(450, TaskRequest.of("boom")));
    party.enqueue(TaskRequest.of("full"));
    failAllDue(party);
    party.enqueue(TaskRequest.of("full"));
    failAllDue(party);
    assertThat(party.status().states()).containsEntry(TaskState.FAILED, 452L);

    assertThat(party.retryFailed("boom")).isEqualTo(450);
    assertThat(boom).allSatisfy(id -> {
      TaskView task = task(party, id);
      assertThat(task.state()).isEqualTo(TaskState.PENDING);
      assertThat(task.attempts()).isZero();
    });
    assertThat(party.retryFailed(null)).as("one 'full' task fits, the other stays FAILED").isEqualTo(1);
    assertThat(party.tasks(TaskQuery.all().state(TaskState.FAILED))).singleElement()
        .satisfies(task -> assertThat(task.handler()).isEqualTo("full"));
    assertThat(party.retryFailed(null)).isZero();
  }

  @Test
  void a_task_that_fails_twice_then_succeeds_finishes_on_its_third_attempt() {
    Party party = party(builder().handlers(h -> h.handler("flaky", context -> {
      if (context.attempts() < 3) throw new RuntimeException("not yet");
      return Outcome.done("third time lucky");
    })));
    TaskId id = party.enqueue(TaskRequest.of("flaky"));
    runUntilSettled(party);
    assertThat(task(party, id).state()).isEqualTo(TaskState.FINISHED);
    assertThat(task(party, id).attempts()).isEqualTo(3);
    assertThat(party.log(id)).extracting(TaskLogEntry::to).containsExactly(
        TaskState.PENDING, TaskState.RUNNING, TaskState.PENDING, TaskState.RUNNING,
        TaskState.PENDING, TaskState.RUNNING, TaskState.FINISHED);
  }

  @Test
  void give_up_fails_at_once_and_retry_at_waits_for_its_time() {
    Instant retryAt = clock.instant().plus(Duration.ofMinutes(7));
    Party party = party(builder().handlers(h -> h
        .handler("hopeless", context -> Outcome.giveUp("customer deleted"))
        .handler("later", context -> context.attempts() == 1
            ? Outcome.retryAt(retryAt, "rate limited") : Outcome.done())));
    TaskId hopeless = party.enqueue(TaskRequest.of("hopeless"));
    TaskId later = party.enqueue(TaskRequest.of("later"));
    party.runDue();

    assertThat(task(party, hopeless).state()).isEqualTo(TaskState.FAILED);
    assertThat(task(party, hopeless).error()).isEqualTo("customer deleted");
    assertThat(task(party, later).state()).isEqualTo(TaskState.PENDING);
    assertThat(task(party, later).runAt()).isEqualTo(retryAt);
    clock.set(retryAt);
    party.runDue();
    assertThat(task(party, later).state()).isEqualTo(TaskState.FINISHED);
  }

  @Test
  void a_continuation_is_stored_with_the_finish_and_runs_next() {
    Party party = party(builder().handlers(h -> h
        .handler("countdown", context -> {
          int n = context.data().path("n").asInt();
          return n == 0 ? Outcome.done("liftoff")
              : Outcome.then(TaskRequest.of("countdown", Map.of("n", n - 1)));
        })));
    party.enqueue(TaskRequest.of("countdown", Map.of("n", 3)));
    assertThat(party.runDue()).isEqualTo(4);
    assertThat(party.tasks(TaskQuery.all().state(TaskState.FINISHED))).hasSize(4);
  }

  @Test
  void a_handler_writes_progress_and_log_lines_through_its_context() {
    Party party = party(builder().handlers(h -> h.handler("report", context -> {
      context.progress(50);
      context.log("half of the rows done");
      return Outcome.done();
    })));
    TaskId id = party.enqueue(TaskRequest.of("report"));
    party.runDue();
    assertThat(party.log(id)).extracting(TaskLogEntry::message).contains("half of the rows done");
    assertThat(task(party, id).progress()).isEqualTo(100);
  }

  @Test
  void an_unknown_handler_is_refused_with_a_suggestion_and_nothing_is_stored() {
    Party party = party(builder().handlers(h -> h.handler("SampleTask", context -> Outcome.done())));
    assertThatThrownBy(() -> party.enqueueAll(List.of(
        TaskRequest.of("SampleTask"), TaskRequest.of("SampelTask"))))
        .isInstanceOf(UnknownHandlerException.class)
        .hasMessageContaining("did you mean 'SampleTask'");
    assertThat(party.tasks(TaskQuery.all())).isEmpty();
  }

  // ---- leases --------------------------------------------------------------------------------

  @Test
  void a_dead_workers_task_is_taken_back_after_its_lease_and_runs_again_with_the_attempt_counted() {
    Party party = party(builder().handlers(h -> h.handler("job", context -> Outcome.done())));
    TaskId id = party.enqueue(TaskRequest.of("job"));
    // Another worker claims it and dies without a word.
    store.claim(new Claim("dead-1", Set.of("job"), null, 1, party.config().lease(), clock.pinned(), Map.of()));
    assertThat(party.runDue()).isZero();
    assertThat(party.sweepLeases()).isEmpty();

    clock.advance(party.config().lease().plusSeconds(1));
    assertThat(party.sweepLeases()).singleElement()
        .satisfies(released -> assertThat(released.previousOwner()).isEqualTo("dead-1"));
    assertThat(party.runDue()).isEqualTo(1);
    assertThat(task(party, id).state()).isEqualTo(TaskState.FINISHED);
    assertThat(task(party, id).attempts()).isEqualTo(2);
  }

  @Test
  void a_restarted_worker_takes_back_its_own_runs_at_once() {
    Party first = party(builder().handlers(h -> h.handler("job", context -> Outcome.done())));
    TaskId id = first.enqueue(TaskRequest.of("job"));
    List<ClaimedTask> claimed = store.claim(
        new Claim("test-1", Set.of("job"), null, 1, first.config().lease(), clock.pinned(), Map.of()));
    assertThat(claimed).hasSize(1);

    Party restarted = party(builder().handlers(h -> h.handler("job", context -> Outcome.done())));
    restarted.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> task(restarted, id).state() == TaskState.FINISHED);
    assertThat(task(restarted, id).attempts()).isEqualTo(2);
  }

  @Test
  void a_started_engine_is_in_the_worker_registry_with_its_running_tasks_and_a_close_marks_it_stopped()
      throws Exception {
    var release = new java.util.concurrent.CountDownLatch(1);
    Party party = party(builder().handlers(h -> h.handler("slow", context -> {
      release.await();
      return Outcome.done();
    })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("slow"));
    await().atMost(Duration.ofSeconds(10)).until(() -> task(party, id).state() == TaskState.RUNNING);

    assertThat(party.workers()).singleElement().satisfies(worker -> {
      assertThat(worker.name()).isEqualTo("test-1");
      assertThat(worker.state()).isEqualTo(WorkerView.State.LIVE);
      assertThat(worker.slots()).isEqualTo(2);
      assertThat(worker.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(worker.heartbeat()).isEqualTo(party.config().heartbeat());
      assertThat(worker.running()).containsExactly(id);
    });

    release.countDown();
    party.close();
    assertThat(party.workers()).singleElement().satisfies(worker -> {
      assertThat(worker.state()).isEqualTo(WorkerView.State.STOPPED);
      assertThat(worker.stoppedAt()).isEqualTo(clock.instant());
      assertThat(worker.running()).isEmpty();
    });
  }

  @Test
  void a_paused_queue_lets_its_running_task_finish_takes_no_more_and_runs_them_once_resumed() throws Exception {
    var release = new java.util.concurrent.CountDownLatch(1);
    Party party = party(builder().handlers(h -> h
        .handler("slow", context -> {
          release.await();
          return Outcome.done();
        })
        .handler("job", context -> Outcome.done())));
    party.start();
    TaskId slow = party.enqueue(TaskRequest.of("slow").queue("video"));
    await().atMost(Duration.ofSeconds(10)).until(() -> task(party, slow).state() == TaskState.RUNNING);

    party.pauseQueue("video");
    TaskId waiting = party.enqueue(TaskRequest.of("job").queue("video"));
    TaskId other = party.enqueue(TaskRequest.of("job"));
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        task(party, slow).state() == TaskState.FINISHED && task(party, other).state() == TaskState.FINISHED);
    assertThat(task(party, waiting).state()).isEqualTo(TaskState.PENDING);
    assertThat(task(party, waiting).attempts()).isZero();

    party.resumeQueue("video");
    await().atMost(Duration.ofSeconds(10)).until(() -> task(party, waiting).state() == TaskState.FINISHED);
  }

  // ---- threads -------------------------------------------------------------------------------

  @Test
  void started_workers_run_every_task_and_a_throwing_handler_never_kills_them() {
    Party party = party(builder().workers(3).handlers(h -> h
        .handler("ok", context -> Outcome.done())
        .handler(TaskType.of("bad").maxAttempts(1), JsonNode.class, context -> {
          throw new Error("handler bug");
        })));
    party.start();
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < 300; i++) requests.add(TaskRequest.of(i % 10 == 0 ? "bad" : "ok"));
    party.enqueueAll(requests);

    await().atMost(Duration.ofSeconds(30)).until(() -> events.finished("ok") == 270);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        party.status().states().get(TaskState.FAILED) == 30);
    party.close();
    assertThat(events.started("ok")).isEqualTo(270);
  }

  // ---- queues with their own worker counts ---------------------------------------------------

  /** Runs per queue: how many run now, the most seen at once, how many finished; each waits on its queue's gate. */
  static final class QueueLoad {
    final Map<String, AtomicInteger> running = Map.of("slow", new AtomicInteger(), "fast", new AtomicInteger());
    final Map<String, AtomicInteger> most = Map.of("slow", new AtomicInteger(), "fast", new AtomicInteger());
    final Map<String, AtomicInteger> finished = Map.of("slow", new AtomicInteger(), "fast", new AtomicInteger());
    final Map<String, AtomicReference<CountDownLatch>> gates = Map.of(
        "slow", new AtomicReference<>(new CountDownLatch(1)), "fast", new AtomicReference<>(new CountDownLatch(1)));

    Outcome run(String queue) throws InterruptedException {
      CountDownLatch gate = gates.get(queue).get();
      int now = running.get(queue).incrementAndGet();
      most.get(queue).accumulateAndGet(now, Math::max);
      try {
        gate.await();
      } finally {
        running.get(queue).decrementAndGet();
      }
      finished.get(queue).incrementAndGet();
      return Outcome.done();
    }

    int running(String queue) {
      return running.get(queue).get();
    }

    int finished(String queue) {
      return finished.get(queue).get();
    }

    void open(String queue) {
      gates.get(queue).get().countDown();
    }

    void close(String queue) {
      gates.get(queue).set(new CountDownLatch(1));
    }
  }

  private PartyBuilder queuesBuilder(QueueLoad load) {
    return Party.builder(store).clock(clock).random(new SplittableRandom(1)).listener(events)
        .workerId("test-1").queue("slow", 1).queue("fast", 3)
        .handlers(h -> h.handler("work", context -> load.run(context.task().queue())));
  }

  private static List<TaskRequest> work(String queue, int count) {
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) requests.add(TaskRequest.of("work").queue(queue));
    return requests;
  }

  @Test
  void queues_with_their_own_worker_counts_run_at_most_that_many_at_once_and_a_flood_of_one_never_holds_the_other() {
    QueueLoad load = new QueueLoad();
    Party party = party(queuesBuilder(load));
    party.enqueueAll(work("fast", 20));
    party.enqueueAll(work("slow", 4));
    party.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> load.running("fast") == 3 && load.running("slow") == 1);

    load.open("slow"); // the fast flood holds all its slots; the slow queue runs through
    await().atMost(Duration.ofSeconds(20)).until(() -> load.finished("slow") == 4);
    assertThat(load.finished("fast")).isZero();
    assertThat(load.running("fast")).isEqualTo(3);

    load.close("slow"); // and the reverse: a blocked slow queue leaves the fast one its slots
    party.enqueueAll(work("slow", 5));
    await().atMost(Duration.ofSeconds(20)).until(() -> load.running("slow") == 1);
    load.open("fast");
    await().atMost(Duration.ofSeconds(20)).until(() -> load.finished("fast") == 20);
    assertThat(load.finished("slow")).isEqualTo(4);

    load.open("slow");
    await().atMost(Duration.ofSeconds(20)).until(() -> load.finished("slow") == 9);
    assertThat(load.most.get("slow")).hasValue(1);
    assertThat(load.most.get("fast")).hasValue(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> party.status().states().get(TaskState.FINISHED) == 29);
    assertThat(party.config().slots()).isEqualTo(4);
  }

  @Test
  void a_node_with_queue_counts_serves_only_those_queues_and_shutdown_returns_their_runs() throws Exception {
    QueueLoad load = new QueueLoad();
    Party party = party(queuesBuilder(load).shutdownGrace(Duration.ofMillis(200)));
    TaskId elsewhere = party.enqueue(TaskRequest.of("work").queue("other"));
    List<TaskId> ids = party.enqueueAll(work("slow", 2));
    party.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> load.running("slow") == 1);
    party.close();

    assertThat(task(party, elsewhere).state()).isEqualTo(TaskState.PENDING);
    for (TaskId id : ids) {
      assertThat(task(party, id).state()).isEqualTo(TaskState.PENDING);
      assertThat(task(party, id).attempts()).isZero();
    }
  }

  private PartyBuilder whereBuilder(String workerId, Map<String, String> threads) {
    return Party.builder(store).clock(clock).random(new SplittableRandom(1)).listener(events)
        .workerId(workerId).queue("slow", 1).queue("fast", 3)
        .handlers(h -> h.handler("where", context -> {
          threads.put(context.task().id().value(), Thread.currentThread().getName());
          return Outcome.done();
        }));
  }

  @Test
  void with_queue_counts_run_now_takes_its_queues_slot_or_else_the_callers_thread() {
    Map<String, String> threads = new java.util.concurrent.ConcurrentHashMap<>();
    Party party = party(whereBuilder("test-1", threads));
    TaskId later = party.enqueue(TaskRequest.of("where").queue("slow").runIn(Duration.ofHours(1)));
    TaskId other = party.enqueue(TaskRequest.of("where").queue("other").runIn(Duration.ofHours(1)));
    party.start();
    assertThat(party.runNow(later).state()).isEqualTo(TaskState.FINISHED);
    assertThat(party.runNow(other).state()).isEqualTo(TaskState.FINISHED);
    assertThat(threads.get(later.value())).startsWith("party-worker-slow-");
    assertThat(threads.get(other.value())).as("no slots here for 'other': it runs on the caller")
        .isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void with_queue_counts_a_draining_engine_runs_each_queue_on_its_own_workers_and_ends() throws Exception {
    Map<String, String> threads = new java.util.concurrent.ConcurrentHashMap<>();
    Party party = party(whereBuilder("test-1", threads));
    Map<TaskId, String> queues = new java.util.HashMap<>();
    for (int i = 0; i < 10; i++) {
      String queue = i % 2 == 0 ? "slow" : "fast";
      queues.put(party.enqueue(TaskRequest.of("where").queue(queue)), queue);
    }
    party.startDraining();
    assertThat(party.awaitDrained(Duration.ofSeconds(20))).isTrue();
    party.close();
    queues.forEach((id, queue) -> assertThat(threads.get(id.value())).startsWith("party-worker-" + queue + "-"));
    assertThat(party.status().states()).containsEntry(TaskState.FINISHED, 10L);
  }

  @Test
  void priorities_order_pick_up_within_each_queue() {
    Map<String, List<Integer>> order = Map.of("slow", new java.util.concurrent.CopyOnWriteArrayList<>(),
        "fast", new java.util.concurrent.CopyOnWriteArrayList<>());
    Party party = party(Party.builder(store).clock(clock).random(new SplittableRandom(1)).listener(events)
        .workerId("test-1").queue("slow", 1).queue("fast", 1)
        .handlers(h -> h.handler("work", context -> {
          order.get(context.task().queue()).add(context.task().priority());
          return Outcome.done();
        })));
    for (String queue : List.of("slow", "fast")) {
      party.enqueueAll(List.of(0, 5, 1, 9, 3, -2).stream()
          .map(priority -> TaskRequest.of("work").queue(queue).priority(priority)).toList());
    }
    party.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> order.get("slow").size() + order.get("fast").size() == 12);
    assertThat(order.get("slow")).containsExactly(9, 5, 3, 1, 0, -2);
    assertThat(order.get("fast")).containsExactly(9, 5, 3, 1, 0, -2);
  }

  @Test
  void queue_counts_with_workers_or_queues_or_a_bad_count_are_refused_when_built() {
    assertThatThrownBy(() -> builder().queue("video", 2).build())
        .isInstanceOf(dev.party.error.ConfigException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> Party.builder(store).queues(Set.of("a")).queue("video", 2).build())
        .isInstanceOf(dev.party.error.ConfigException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> Party.builder(store).queue("video", 0).queue(" ", 1).build())
        .isInstanceOf(dev.party.error.ConfigException.class)
        .hasMessageContaining("queue 'video' needs at least 1 worker, not 0")
        .hasMessageContaining("a queue name must not be blank");
  }

  @Test
  void shutdown_returns_an_interrupted_run_to_the_queue_without_counting_the_attempt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Party party = party(builder().shutdownGrace(Duration.ofMillis(200)).handlers(h -> h.handler("long",
        context -> {
          running.countDown();
          new CountDownLatch(1).await(); // blocks until interrupted
          return Outcome.done();
        })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("long"));
    assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    party.close();

    TaskView task = task(party, id);
    assertThat(task.state()).isEqualTo(TaskState.PENDING);
    assertThat(task.attempts()).isZero();
    assertThat(party.log(id).getLast().message()).contains("worker stopped");
  }

  @Test
  void a_draining_engine_stops_once_nothing_is_due() throws Exception {
    Party party = party(builder().handlers(h -> h.handler("job", context -> Outcome.done())));
    for (int i = 0; i < 20; i++) party.enqueue(TaskRequest.of("job"));
    party.enqueue(TaskRequest.of("job").runIn(Duration.ofHours(1)));
    party.startDraining();
    assertThat(party.awaitDrained(Duration.ofSeconds(20))).isTrue();
    party.close();
    assertThat(party.status().states()).containsEntry(TaskState.FINISHED, 20L).containsEntry(TaskState.PENDING, 1L);
  }

  @Test
  void a_continuation_the_store_refuses_fails_its_task_and_blocks_nothing_else() {
    Party party = party(builder().handlers(h -> h
        .handler("later", context -> Outcome.done())
        .handler("chain", context -> Outcome.then(TaskRequest.of("later").uniqueKey("k")))
        .handler("ok", context -> Outcome.done())));
    party.enqueue(TaskRequest.of("later").uniqueKey("k").runIn(Duration.ofHours(1)));
    TaskId chain = party.enqueue(TaskRequest.of("chain"));
    TaskId ok = party.enqueue(TaskRequest.of("ok"));
    party.start();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        task(party, chain).state() == TaskState.FAILED && task(party, ok).state() == TaskState.FINISHED);
    assertThat(task(party, chain).error()).contains("could not be stored");
  }

  // ---- claiming for idle slots only, and waking for due times ------------------------------

  private static long running(Party party) {
    return party.tasks(TaskQuery.all().state(TaskState.RUNNING)).size();
  }

  @Test
  void running_never_exceeds_the_slots_after_short_runs_and_an_idle_node_takes_the_waiting_slow_tasks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowStarted = new AtomicInteger();
    java.util.function.Consumer<dev.party.task.Handlers> handlers = h -> h
        .handler("noop", context -> Outcome.done())
        .handler("slow", context -> {
          slowStarted.incrementAndGet();
          release.await();
          return Outcome.done();
        });
    Party busy = party(builder().clock(dev.party.PartyClock.system()).workerId("busy-1").workers(4).handlers(handlers));
    busy.start();
    List<TaskRequest> warmUp = new ArrayList<>();
    for (int i = 0; i < 200; i++) warmUp.add(TaskRequest.of("noop"));
    busy.enqueueAll(warmUp);
    await().atMost(Duration.ofSeconds(30)).until(() -> events.finished("noop") == 200);

    List<TaskRequest> slow = new ArrayList<>();
    for (int i = 0; i < 8; i++) slow.add(TaskRequest.of("slow"));
    List<TaskId> ids = busy.enqueueAll(slow);
    await().atMost(Duration.ofSeconds(20)).until(() -> slowStarted.get() == 4);
    // A task is RUNNING only while a handler runs it: the other four wait in the store, unclaimed.
    for (int look = 0; look < 5; look++) {
      assertThat(running(busy)).isEqualTo(4);
      busy.sweepLeases(); // a heartbeat round trip between looks, not a sleep
    }
    assertThat(busy.workers()).filteredOn(w -> w.name().equals("busy-1"))
        .singleElement().satisfies(w -> assertThat(w.running()).hasSize(4));

    Party idle = party(builder().clock(dev.party.PartyClock.system()).workerId("idle-1").workers(2).handlers(handlers));
    idle.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> slowStarted.get() == 6);
    assertThat(running(busy)).isEqualTo(6);
    List<TaskView> waiting = busy.tasks(TaskQuery.all().state(TaskState.PENDING));
    assertThat(waiting).hasSize(2).allSatisfy(task -> {
      assertThat(task.attempts()).isZero();
      assertThat(busy.log(task.id())).extracting(TaskLogEntry::to).containsExactly(TaskState.PENDING);
    });
    release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        ids.stream().allMatch(id -> task(busy, id).state() == TaskState.FINISHED));
  }

  @Test
  void a_short_backoff_and_a_short_delay_are_honoured_without_waiting_for_the_poll() {
    AtomicInteger calls = new AtomicInteger();
    Party party = party(builder().clock(dev.party.PartyClock.system()).pollInterval(Duration.ofSeconds(60))
        .handlers(h -> h
            .handler(TaskType.of("flaky").backoff(dev.party.schedule.Backoff.fixed(Duration.ofMillis(200))), JsonNode.class,
                context -> {
                  if (calls.incrementAndGet() == 1) throw new IllegalStateException("first attempt fails");
                  return Outcome.done();
                })
            .handler("later", context -> Outcome.done())));
    party.start();
    TaskId flaky = party.enqueue(TaskRequest.of("flaky"));
    TaskId later = party.enqueue(TaskRequest.of("later").runIn(Duration.ofMillis(300)));
    // With a 60 s poll, only a wake-up at the known due times runs these within the wait.
    await().atMost(Duration.ofSeconds(15)).until(() ->
        task(party, flaky).state() == TaskState.FINISHED && task(party, later).state() == TaskState.FINISHED);
    assertThat(task(party, flaky).attempts()).isEqualTo(2);
  }

  @Test
  void a_run_now_waits_for_an_idle_slot_before_its_task_turns_running() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Party party = party(builder().clock(dev.party.PartyClock.system()).workers(1).handlers(h -> h
        .handler("blocker", context -> {
          busy.countDown();
          release.await();
          return Outcome.done();
        })
        .handler("quick", context -> Outcome.done())));
    party.start();
    party.enqueue(TaskRequest.of("blocker"));
    assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    TaskId quick = party.enqueue(TaskRequest.of("quick").runIn(Duration.ofHours(1)));
    java.util.concurrent.CompletableFuture<TaskView> ran =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> party.runNow(quick));

    // The only slot is busy: the task waits unclaimed, its attempt not counted, not RUNNING.
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> {
      TaskView task = task(party, quick);
      return task.state() == TaskState.PENDING && task.attempts() == 0;
    });
    release.countDown();
    assertThat(ran.get(20, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(TaskState.FINISHED);
    assertThat(task(party, quick).attempts()).isEqualTo(1);
  }

  @Test
  void a_run_now_on_the_callers_thread_renews_its_lease_so_no_other_node_takes_it_over() {
    AtomicInteger runs = new AtomicInteger();
    java.util.function.Consumer<dev.party.task.Handlers> handlers = h -> h.handler("long", context -> {
      runs.incrementAndGet();
      new CountDownLatch(1).await(2_500, java.util.concurrent.TimeUnit.MILLISECONDS); // works past its 1 s lease
      return Outcome.done();
    });
    Party caller = party(builder().clock(dev.party.PartyClock.system()).workerId("caller-1")
        .lease(Duration.ofSeconds(1), Duration.ofMillis(250)).handlers(handlers));
    Party other = party(builder().clock(dev.party.PartyClock.system()).workerId("other-1")
        .lease(Duration.ofSeconds(1), Duration.ofMillis(250)).handlers(handlers));
    other.start(); // sweeps expired leases, and would run the task again if it were taken back
    TaskId id = caller.enqueue(TaskRequest.of("long").runIn(Duration.ofHours(1)));

    assertThat(caller.runNow(id).state()).isEqualTo(TaskState.FINISHED);
    assertThat(runs).hasValue(1);
    assertThat(task(caller, id).attempts()).isEqualTo(1);
  }

  @Test
  void a_stopping_worker_lets_a_cooperative_run_finish_and_tells_it_stopping_not_cancelled() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicReference<Boolean> cancelledWhileStopping = new AtomicReference<>();
    Party party = party(builder().shutdownGrace(Duration.ofSeconds(30)).handlers(h -> h.handler("cooperative",
        context -> {
          running.countDown();
          await().atMost(Duration.ofSeconds(20)).until(context::isStopping);
          cancelledWhileStopping.set(context.isCancelled());
          finish.await();
          return Outcome.done(Map.of("finished", true));
        })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("cooperative"));
    assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Thread closing = Thread.ofPlatform().start(party::close);
    await().atMost(Duration.ofSeconds(20)).until(() -> cancelledWhileStopping.get() != null);
    finish.countDown();
    closing.join(Duration.ofSeconds(20));

    assertThat(closing.isAlive()).isFalse();
    assertThat(cancelledWhileStopping.get()).as("cancelled during the grace period").isFalse();
    TaskView task = task(party, id);
    assertThat(task.state()).isEqualTo(TaskState.FINISHED);
    assertThat(task.attempts()).isEqualTo(1);
  }

  @Test
  void past_the_grace_period_a_run_is_cancelled_and_interrupted_and_goes_back_uncounted() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicReference<Boolean> cancelledWhenInterrupted = new AtomicReference<>();
    Party party = party(builder().shutdownGrace(Duration.ofMillis(300)).handlers(h -> h.handler("stubborn",
        context -> {
          running.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            cancelledWhenInterrupted.set(context.isCancelled());
            throw e;
          }
          return Outcome.done();
        })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("stubborn"));
    assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    party.close();
    assertThat(cancelledWhenInterrupted.get()).isTrue();
    assertThat(task(party, id).state()).isEqualTo(TaskState.PENDING);
    assertThat(task(party, id).attempts()).isZero();
  }

  @Test
  void shutdown_leaves_waiting_tasks_unclaimed_and_returns_an_interrupted_run_without_counting_attempts() throws Exception {
    CountDownLatch longStarted = new CountDownLatch(1);
    Party party = party(builder().workers(1).shutdownGrace(Duration.ofMillis(200)).handlers(h -> h
        .handler("short", context -> Outcome.done())
        .handler("long", context -> {
          longStarted.countDown();
          new CountDownLatch(1).await();
          return Outcome.done();
        })
        .handler("queued", context -> Outcome.done())));
    party.start();
    List<TaskRequest> warmUp = new ArrayList<>();
    for (int i = 0; i < 100; i++) warmUp.add(TaskRequest.of("short"));
    party.enqueueAll(warmUp);
    await().atMost(Duration.ofSeconds(20)).until(() -> events.finished("short") == 100);

    List<TaskId> ids = party.enqueueAll(List.of(TaskRequest.of("long").priority(1), TaskRequest.of("queued")));
    assertThat(longStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    party.close();

    for (TaskId id : ids) {
      assertThat(task(party, id).state()).isEqualTo(TaskState.PENDING);
      assertThat(task(party, id).attempts()).isZero();
    }
  }

  @Test
  void a_handler_that_wraps_the_shutdown_interrupt_is_not_charged_an_attempt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Party party = party(builder().shutdownGrace(Duration.ofMillis(100)).handlers(h -> h
        .handler(TaskType.of("wrapper").maxAttempts(1), JsonNode.class, context -> {
          running.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            throw new IllegalStateException("wrapped", e); // clears the interrupt flag
          }
          return Outcome.done();
        })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("wrapper"));
    assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    party.close();
    assertThat(task(party, id).state()).isEqualTo(TaskState.PENDING);
    assertThat(task(party, id).attempts()).isZero();
  }

  @Test
  void a_listener_that_throws_breaks_nothing() {
    Party party = party(builder().listener(new dev.party.event.PartyListener() {
      @Override
      public void started(ClaimedTask task) {
        throw new IllegalStateException("listener bug");
      }
    }).handlers(h -> h.handler("job", context -> Outcome.done())));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("job"));
    await().atMost(Duration.ofSeconds(10)).until(() -> task(party, id).state() == TaskState.FINISHED);
  }

  @Test
  void a_second_engine_under_a_running_workers_name_refuses_to_start() {
    Party first = party(builder().workerId("twin-1"));
    first.start();
    Party second = party(builder().workerId("twin-1"));
    assertThatThrownBy(second::start).isInstanceOf(dev.party.error.WorkerNameInUseException.class)
        .hasMessageContaining("twin-1");
    first.close();
    Party third = party(builder().workerId("twin-1"));
    third.start();
  }

  @Test
  void a_handler_lease_shorter_than_two_heartbeats_is_refused_at_registration() {
    assertThatThrownBy(() -> party(builder().lease(Duration.ofSeconds(30), Duration.ofSeconds(10))
        .handlers(h -> h.handler(TaskType.of("fragile").lease(Duration.ofSeconds(5)), JsonNode.class,
            context -> Outcome.done()))))
        .isInstanceOf(dev.party.error.ConfigException.class)
        .hasMessageContaining("fragile");
  }

  @Test
  void a_running_handler_sees_that_its_task_was_cancelled() {
    AtomicReference<Boolean> sawCancel = new AtomicReference<>(false);
    CountDownLatch running = new CountDownLatch(1);
    Party party = party(builder().lease(Duration.ofSeconds(2), Duration.ofMillis(100)).handlers(h -> h
        .handler("watcher", context -> {
          running.countDown();
          await().atMost(Duration.ofSeconds(20)).until(context::isCancelled);
          sawCancel.set(true);
          return Outcome.done();
        })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("watcher"));
    await().atMost(Duration.ofSeconds(10)).until(() -> running.getCount() == 0);
    party.cancel(id);
    await().atMost(Duration.ofSeconds(20)).until(sawCancel::get);
    assertThat(task(party, id).state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void closing_twice_or_without_a_start_is_harmless_and_leaves_no_thread() {
    Party never = party(builder());
    never.close();
    Party twice = party(builder().workerId("test-2"));
    twice.start();
    twice.close();
    twice.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("party-") && t.getName().endsWith("test-2")));
  }

  // ---- timeouts ------------------------------------------------------------------------------

  @Test
  void a_run_past_its_timeout_is_interrupted_retried_and_then_failed_on_platform_threads() throws Exception {
    timedOutRunsAreRetriedThenFailed(false);
  }

  @Test
  void a_run_past_its_timeout_is_interrupted_retried_and_then_failed_on_virtual_threads() throws Exception {
    timedOutRunsAreRetriedThenFailed(true);
  }

  private void timedOutRunsAreRetriedThenFailed(boolean virtualThreads) {
    AtomicInteger interrupted = new AtomicInteger();
    AtomicInteger sawCancelled = new AtomicInteger();
    Party party = party(builder().virtualThreads(virtualThreads).handlers(h -> h.handler(
        TaskType.of("stuck").timeout(Duration.ofMillis(200)).maxAttempts(2), JsonNode.class, context -> {
          try {
            new CountDownLatch(1).await(); // blocks until interrupted
          } catch (InterruptedException e) {
            if (context.isCancelled()) sawCancelled.incrementAndGet();
            interrupted.incrementAndGet();
            throw e;
          }
          return Outcome.done();
        })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("stuck"));

    await().atMost(Duration.ofSeconds(10)).until(() ->
        task(party, id).state() == TaskState.PENDING && task(party, id).attempts() == 1);
    assertThat(task(party, id).error()).startsWith("timed out after 200 ms (the timeout of task type 'stuck')");
    assertThat(interrupted).hasValue(1);
    assertThat(sawCancelled).hasValue(1);

    clock.advance(Duration.ofHours(1)); // past the backoff
    await().atMost(Duration.ofSeconds(10)).until(() -> task(party, id).state() == TaskState.FAILED);
    TaskView failed = task(party, id);
    assertThat(failed.attempts()).isEqualTo(2);
    assertThat(failed.error()).startsWith("failed 2 of 2 attempts; last error: timed out after 200 ms");
  }

  @Test
  void a_handler_that_ignores_the_timeout_interrupt_does_not_finish_its_task() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Party party = party(builder().virtualThreads(true).handlers(h -> h.handler(
        TaskType.of("deaf").timeout(Duration.ofMillis(200)).maxAttempts(1), JsonNode.class, context -> {
          while (true) {
            try {
              release.await();
              break;
            } catch (InterruptedException ignored) {
              interrupted.countDown(); // and carries on regardless
            }
          }
          return Outcome.done(Map.of("late", true));
        })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("deaf"));
    assertThat(interrupted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(task(party, id).state()).isEqualTo(TaskState.RUNNING); // its worker waits for it

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> task(party, id).state() == TaskState.FAILED);
    TaskView failed = task(party, id);
    assertThat(failed.result()).isNull();
    assertThat(failed.error()).contains("last error: timed out after 200 ms");
  }

  @Test
  void run_due_enforces_the_timeout_on_the_calling_thread_and_leaves_it_uninterrupted() {
    Party party = party(builder().handlers(h -> h
        .handler(TaskType.of("stuck").timeout(Duration.ofMillis(200)), JsonNode.class, context -> {
          new CountDownLatch(1).await();
          return Outcome.done();
        })
        .handler(TaskType.of("quick").timeout(Duration.ofSeconds(30)), JsonNode.class, context -> Outcome.done())));
    TaskId stuck = party.enqueue(TaskRequest.of("stuck"));
    TaskId quick = party.enqueue(TaskRequest.of("quick"));

    assertThat(party.runDue()).isEqualTo(2);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(task(party, stuck).state()).isEqualTo(TaskState.PENDING);
    assertThat(task(party, stuck).error()).startsWith("timed out after 200 ms");
    assertThat(task(party, quick).state()).isEqualTo(TaskState.FINISHED);
  }

  // ---- instance keys and progress functions ------------------------------------------------

  @Test
  void a_task_is_found_by_handler_and_instance_key_and_a_second_one_is_refused() {
    Party party = party(builder().handlers(h -> h.handler("sum", context -> Outcome.done())));
    TaskId id = party.enqueue(TaskRequest.of("sum").instanceKey("Task001"));
    assertThat(party.task("sum", "Task001")).map(TaskView::id).contains(id);
    assertThat(task(party, id).instanceKey()).isEqualTo("Task001");

    assertThatThrownBy(() -> party.enqueueAll(List.of(TaskRequest.of("sum"), TaskRequest.of("sum").instanceKey("Task001"))))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("handler 'sum' already has a task with instance key 'Task001'");
    assertThatThrownBy(() -> party.enqueueAll(List.of(
        TaskRequest.of("sum").instanceKey("twice"), TaskRequest.of("sum").instanceKey("twice"))))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("two tasks of one request");
    assertThat(party.tasks(TaskQuery.all())).hasSize(1);

    party.runDue();
    assertThat(party.task("sum", "Task001").orElseThrow().state()).isEqualTo(TaskState.FINISHED);
    assertThatThrownBy(() -> party.enqueue(TaskRequest.of("sum").instanceKey("Task001")))
        .isInstanceOf(TaskConflictException.class);
    assertThat(party.task("sum", "twice")).isEmpty();
  }

  @Test
  void bad_instance_keys_are_refused_before_anything_is_stored() {
    Party party = party(builder().handlers(h -> h.handler("sum", context -> Outcome.done())));
    assertThatThrownBy(() -> TaskRequest.of("sum").instanceKey(" "))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("instanceKey must not be empty or blank");
    assertThatThrownBy(() -> TaskRequest.of("sum").instanceKey("a\u0000b"))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("instanceKey must not contain control characters");
    assertThatThrownBy(() -> TaskRequest.of("sum").instanceKey("k".repeat(TaskRequest.MAX_KEY_LENGTH + 1)))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("instanceKey is 1001 characters long");
    assertThatThrownBy(() -> TaskRequest.of("sum").batchKey("b").instanceKey("k"))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("instanceKey or batchKey, not both");
    assertThat(party.tasks(TaskQuery.all())).isEmpty();
  }

  @Test
  void a_types_progress_function_gives_progress_until_the_handler_reports_its_own() {
    Party party = party(builder().handlers(h -> h
        .handler(TaskType.of("wait").progress(data ->
                100 * (data.path("total").asInt() - data.path("remaining").asInt()) / data.path("total").asInt()),
            JsonNode.class, context -> {
              if (context.data().path("report").asBoolean()) {
                context.progress(55);
                throw new IllegalStateException("again later");
              }
              return Outcome.done();
            })
        .handler("plain", context -> Outcome.done())));
    TaskId waiting = party.enqueue(TaskRequest.of("wait", Map.of("total", 10, "remaining", 3)).runIn(Duration.ofHours(1)));
    TaskId broken = party.enqueue(TaskRequest.of("wait", Map.of("total", 0)).runIn(Duration.ofHours(1)));
    TaskId reporting = party.enqueue(TaskRequest.of("wait", Map.of("total", 10, "remaining", 3, "report", true)));
    TaskId plain = party.enqueue(TaskRequest.of("plain").runIn(Duration.ofHours(1)));

    assertThat(task(party, waiting).progress()).isEqualTo(70);
    assertThat(party.tasks(TaskQuery.all().handler("wait"))).extracting(TaskView::progress).contains(70);
    assertThat(task(party, broken).progress()).isZero(); // the function threw: the stored 0 stands
    assertThat(task(party, plain).progress()).isZero();
    assertThat(store.get(waiting).orElseThrow().progress()).isZero(); // never stored

    party.runDue(); // the reporting one: reports 55, fails, waits for its retry
    assertThat(task(party, reporting).state()).isEqualTo(TaskState.PENDING);
    assertThat(task(party, reporting).progress()).isEqualTo(55);

    clock.advance(Duration.ofHours(2));
    party.runDue();
    assertThat(task(party, waiting).state()).isEqualTo(TaskState.FINISHED);
    assertThat(task(party, waiting).progress()).isEqualTo(100);
  }

  // ---- run now, retry, capacity -------------------------------------------------------------

  @Test
  void run_now_runs_a_scheduled_task_on_the_calling_thread_and_returns_it_finished() {
    Party party = party(builder().handlers(h -> h.handler("echo", context -> Outcome.done(Map.of("on", Thread.currentThread().getName())))));
    TaskId id = party.enqueue(TaskRequest.of("echo").runIn(Duration.ofDays(1)));

    TaskView task = party.runNow(id);
    assertThat(task.state()).isEqualTo(TaskState.FINISHED);
    assertThat(task.attempts()).isEqualTo(1);
    assertThat(task.result()).contains(Thread.currentThread().getName());
    assertThat(events.ranCount()).isEqualTo(1);
    assertThatThrownBy(() -> party.runNow(id))
        .isInstanceOf(dev.party.error.TaskConflictException.class)
        .hasMessageContaining("FINISHED");
    assertThatThrownBy(() -> party.runNow(new TaskId("ffffffffffffffffffffffff")))
        .isInstanceOf(dev.party.error.TaskNotFoundException.class);
  }

  @Test
  void run_now_on_a_running_engine_runs_on_a_worker_and_returns_once_the_outcome_is_written() {
    Party party = party(builder().handlers(h -> h.handler("where", context -> Outcome.done(Map.of("on", Thread.currentThread().getName())))));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("where").runIn(Duration.ofDays(1)));

    TaskView task = party.runNow(id);
    assertThat(task.state()).isEqualTo(TaskState.FINISHED);
    assertThat(task.result()).contains("party-worker-");
  }

  @Test
  void run_now_on_a_drained_engine_runs_on_the_caller_and_after_close_is_refused_claiming_nothing() throws Exception {
    Party party = party(builder().handlers(h -> h.handler("where", context -> Outcome.done(Map.of("on", Thread.currentThread().getName())))));
    TaskId later = party.enqueue(TaskRequest.of("where").runIn(Duration.ofDays(1)));
    party.startDraining();
    assertThat(party.awaitDrained(Duration.ofSeconds(20))).isTrue();

    TaskView ran = party.runNow(later); // the workers' loop has ended: nobody else would write it
    assertThat(ran.state()).isEqualTo(TaskState.FINISHED);
    assertThat(ran.result()).contains(Thread.currentThread().getName());

    TaskId untouched = party.enqueue(TaskRequest.of("where").runIn(Duration.ofDays(1)));
    party.close();
    assertThatThrownBy(() -> party.runNow(untouched))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(task(party, untouched).state()).isEqualTo(TaskState.PENDING);
    assertThat(task(party, untouched).attempts()).isZero();
  }

  @Test
  void a_run_now_cut_by_shutdown_goes_back_to_the_queue_without_counting_the_attempt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Party party = party(builder().shutdownGrace(Duration.ofMillis(200)).handlers(h -> h.handler("long", context -> {
      running.countDown();
      new CountDownLatch(1).await(); // blocks until interrupted
      return Outcome.done();
    })));
    party.start();
    TaskId id = party.enqueue(TaskRequest.of("long").runIn(Duration.ofDays(1)));
    AtomicReference<TaskView> answered = new AtomicReference<>();
    Thread caller = Thread.ofPlatform().start(() -> answered.set(party.runNow(id)));
    assertThat(running.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    party.close();
    caller.join(10_000);

    assertThat(caller.isAlive()).isFalse();
    assertThat(answered.get().state()).isEqualTo(TaskState.PENDING);
    assertThat(answered.get().attempts()).isZero();
  }

  @Test
  void a_retried_failed_task_runs_again_with_a_fresh_set_of_attempts() {
    AtomicInteger calls = new AtomicInteger();
    Party party = party(builder().handlers(h -> h.handler(TaskType.of("once").maxAttempts(1), JsonNode.class,
        context -> calls.incrementAndGet() == 1 ? Outcome.giveUp("first time") : Outcome.done())));
    TaskId id = party.enqueue(TaskRequest.of("once"));
    party.runDue();
    assertThat(task(party, id).state()).isEqualTo(TaskState.FAILED);
    assertThatThrownBy(() -> party.cancel(id)).isInstanceOf(dev.party.error.TaskConflictException.class);

    assertThat(party.retry(id).state()).isEqualTo(TaskState.PENDING);
    assertThat(party.runDue()).isEqualTo(1);
    assertThat(task(party, id).state()).isEqualTo(TaskState.FINISHED);
    assertThat(task(party, id).attempts()).isEqualTo(1);
    assertThatThrownBy(() -> party.retry(id))
        .isInstanceOf(dev.party.error.TaskConflictException.class)
        .hasMessageContaining("only a FAILED task");
  }

  @Test
  void an_enqueue_past_a_handlers_capacity_fails_with_queue_full_and_stores_none() {
    Party party = party(builder().handlers(h -> h
        .handler(TaskType.of("capped").capacity(2), JsonNode.class, context -> Outcome.done())
        .handler("free", context -> Outcome.done())));
    party.enqueueAll(List.of(TaskRequest.of("capped"), TaskRequest.of("capped")));
    assertThatThrownBy(() -> party.enqueueAll(List.of(TaskRequest.of("free"), TaskRequest.of("capped"))))
        .isInstanceOf(dev.party.error.QueueFullException.class)
        .hasMessageContaining("capacity");
    assertThat(party.tasks(TaskQuery.all())).hasSize(2);
    party.runDue();
    party.enqueue(TaskRequest.of("capped"));
  }

  // ---- batch and singleton -------------------------------------------------------------------

  @Test
  void a_batch_enqueue_returns_the_waiting_task_and_stores_a_new_one_once_that_one_started() {
    Party party = party(builder().handlers(h -> h.handler("rebuild", context -> Outcome.done())));
    TaskId first = party.enqueue(TaskRequest.of("rebuild", Map.of("n", 1)).batchKey("index"));
    assertThat(party.enqueueAllDetailed(List.of(TaskRequest.of("rebuild", Map.of("n", 2)).batchKey("index"))))
        .map(Enqueued::withoutTime).containsExactly(Enqueued.coveredBy(first));
    assertThat(party.tasks(TaskQuery.all())).singleElement()
        .satisfies(task -> assertThat(task.data()).isEqualTo("{\"n\":1}"));

    assertThat(party.runDue()).isEqualTo(1);
    TaskId second = party.enqueue(TaskRequest.of("rebuild").batchKey("index"));
    assertThat(second).isNotEqualTo(first);
    assertThat(events.enqueued()).isEqualTo(2);
  }

  @Test
  void bad_batch_and_singleton_keys_are_refused_clearly_and_store_nothing() {
    Party party = party(builder().handlers(h -> h
        .handler("plain", context -> Outcome.done())
        .handler(TaskType.of("single").singleton(SingletonPolicy.WAIT), JsonNode.class, context -> Outcome.done())));
    assertThatThrownBy(() -> TaskRequest.of("plain").batchKey(""))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("batchKey must not be empty");
    assertThatThrownBy(() -> TaskRequest.of("plain").batchKey("x".repeat(TaskRequest.MAX_KEY_LENGTH + 1)))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("batchKey is 1001 characters long");
    assertThatThrownBy(() -> TaskRequest.of("single").singletonKey("db\u0000one"))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("singletonKey must not contain control characters");
    assertThatThrownBy(() -> TaskRequest.of("single").singletonKey("  "))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("singletonKey must not be empty");
    assertThatThrownBy(() -> party.enqueueAll(List.of(
        TaskRequest.of("single"), TaskRequest.of("plain").singletonKey("db-1"))))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("not a singleton handler");
    assertThat(party.tasks(TaskQuery.all())).isEmpty();
  }

  @Test
  void singleton_wait_runs_one_task_per_key_at_a_time_across_nodes_and_held_back_tasks_keep_attempts_zero()
      throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    java.util.function.Consumer<dev.party.task.Handlers> handlers = h -> h
        .handler(TaskType.of("reindex").singleton(SingletonPolicy.WAIT), JsonNode.class, context -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
          } finally {
            running.decrementAndGet(); // before the finish is written, so a count of 2 is a real overlap
          }
          return Outcome.done();
        })
        .handler("probe", context -> Outcome.done());
    Party one = party(builder().workers(3).handlers(handlers));
    Party two = party(builder().workerId("test-2").workers(3).handlers(handlers));
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) requests.add(TaskRequest.of("reindex"));
    List<TaskId> ids = one.enqueueAll(requests);
    one.start();
    two.start();

    await().atMost(Duration.ofSeconds(20)).until(() -> running.get() == 1);
    // Enqueued after the held-back tasks, so due after them in pick-up order: once it has run,
    // both engines have claimed past them and started none.
    TaskId probe = one.enqueue(TaskRequest.of("probe"));
    await().atMost(Duration.ofSeconds(20)).until(() -> task(one, probe).state() == TaskState.FINISHED);
    assertThat(most).hasValue(1);
    assertThat(ids.stream().map(id -> task(one, id)).filter(t -> t.state() == TaskState.PENDING))
        .hasSize(5).allSatisfy(t -> assertThat(t.attempts()).isZero());

    gate.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        ids.stream().allMatch(id -> task(one, id).state() == TaskState.FINISHED));
    assertThat(most).hasValue(1);
    assertThat(ids).allSatisfy(id -> assertThat(task(one, id).attempts()).isEqualTo(1));
  }

  @Test
  void singleton_skip_finishes_a_second_start_as_skipped_while_another_key_runs_alongside() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Party party = party(builder().workers(3).handlers(h -> h
        .handler(TaskType.of("report").singleton(SingletonPolicy.SKIP), JsonNode.class, context -> {
          started.countDown();
          gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
          return Outcome.done("ran");
        })));
    party.start();
    TaskId first = party.enqueue(TaskRequest.of("report"));
    assertThat(started.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    TaskId second = party.enqueue(TaskRequest.of("report"));
    TaskId elsewhere = party.enqueue(TaskRequest.of("report").singletonKey("report:eu"));
    await().atMost(Duration.ofSeconds(20)).until(() -> task(party, second).state() == TaskState.FINISHED
        && task(party, elsewhere).state() == TaskState.RUNNING);
    TaskView skipped = task(party, second);
    assertThat(skipped.attempts()).isZero();
    assertThat(skipped.result()).contains("\"skipped\":true");
    assertThat(party.log(second)).extracting(TaskLogEntry::message).last().asString()
        .contains("skipped").contains("'report'").contains("RUNNING");

    gate.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> task(party, first).state() == TaskState.FINISHED
        && task(party, elsewhere).state() == TaskState.FINISHED);
    assertThat(task(party, first).result()).isEqualTo("\"ran\"");
  }
}
