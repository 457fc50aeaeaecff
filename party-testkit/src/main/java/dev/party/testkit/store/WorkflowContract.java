package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.PartyBuilder;
import dev.party.error.InvalidTaskException;
import dev.party.error.TaskConflictException;
import dev.party.store.TaskStore;
import dev.party.task.Chain;
import dev.party.task.Group;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import dev.party.task.TaskView;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chains and groups over a real store: steps in order with the previous result, a broken chain
 * cancelling what follows, a group's callback once after every member ended, on several nodes.
 */
public abstract class WorkflowContract extends StoreContract {
  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
  private final AtomicInteger callbacks = new AtomicInteger();

  /** Another store object over the same data: another node. */
  protected abstract TaskStore openSameStore() throws Exception;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
  }

  /** "add" adds its data's n to the previous step's result; "sum" adds up its group's results. */
  protected PartyBuilder builder(TaskStore on, String workerId) {
    return Party.builder(on).clock(clock).random(new SplittableRandom(workerId.hashCode())).workerId(workerId)
        .pollInterval(Duration.ofMillis(50))
        .handlers(h -> h
            .handler("add", context -> {
              int before = context.previousStep().map(step -> Integer.parseInt(step.result())).orElse(0);
              int n = context.data().path("n").asInt();
              calls.add("add " + n);
              return Outcome.done(before + n);
            })
            .handler(TaskType.of("fail").maxAttempts(1), JsonNode.class, context -> Outcome.giveUp("no luck"))
            .handler("member", context -> Outcome.done(context.data().path("n").asInt()))
            .handler("order", context -> Outcome.done(context.groupMembers().stream()
                .map(m -> dev.party.json.Json.parse(m.data()).path("n").asInt()).toList()))
            .handler("sum", context -> {
              callbacks.incrementAndGet();
              List<TaskView> members = context.groupMembers();
              int sum = members.stream().filter(m -> m.state() == TaskState.FINISHED)
                  .mapToInt(m -> Integer.parseInt(m.result())).sum();
              return Outcome.done(new TreeMap<>(Map.of("members", members.size(), "sum", sum,
                  "failed", members.stream().filter(m -> m.state() != TaskState.FINISHED).count())));
            }));
  }

  protected Party party(PartyBuilder builder) {
    Party party = builder.build();
    closing.add(party);
    return party;
  }

  private TaskView task(Party party, TaskId id) {
    return party.task(id).orElseThrow();
  }

  private static TaskRequest add(int n) {
    return TaskRequest.of("add", Map.of("n", n));
  }

  // ---- chains ----------------------------------------------------------------------------------

  @Test
  void a_chain_runs_its_steps_in_order_each_with_the_result_before_it() {
    Party party = party(builder(store, "node-1"));
    Chain chain = party.chain(add(1), add(10), add(100));
    assertThat(task(party, chain.steps().get(1)).displayState(clock.instant())).isEqualTo("WAITING");
    assertThatThrownBy(() -> party.runNow(chain.steps().get(2)))
        .isInstanceOf(TaskConflictException.class).hasMessageContaining("waits for");

    assertThat(party.runDue()).isEqualTo(3);
    assertThat(calls).containsExactly("add 1", "add 10", "add 100");
    assertThat(chain.steps()).extracting(id -> task(party, id).result()).containsExactly("1", "11", "111");
    assertThat(chain.steps()).extracting(id -> task(party, id).state()).containsOnly(TaskState.FINISHED);
  }

  @Test
  void a_step_that_fails_after_its_retries_cancels_the_steps_after_it_with_that_reason() {
    Party party = party(builder(store, "node-1"));
    Chain chain = party.chain(add(1), TaskRequest.of("fail"), add(2), add(3));
    party.runDue();

    assertThat(chain.steps()).extracting(id -> task(party, id).state())
        .containsExactly(TaskState.FINISHED, TaskState.FAILED, TaskState.CANCELLED, TaskState.CANCELLED);
    TaskView cancelled = task(party, chain.steps().get(3));
    assertThat(cancelled.error()).contains("chain step 2", "FAILED", "no luck");
    assertThat(cancelled.attempts()).isZero();
    assertThat(party.log(cancelled.id())).extracting(TaskLogEntry::to).containsExactly(TaskState.PENDING, TaskState.CANCELLED);
    assertThat(party.log(cancelled.id()).getLast().message()).contains("chain step 2");
    assertThat(calls).containsExactly("add 1");
  }

  @Test
  void cancelling_a_step_cancels_the_rest_of_its_chain() {
    Party party = party(builder(store, "node-1"));
    Chain chain = party.chain(add(1), add(2), add(3));
    party.cancel(chain.steps().getFirst());
    assertThat(chain.steps()).extracting(id -> task(party, id).state()).containsOnly(TaskState.CANCELLED);
    assertThat(party.runDue()).isZero();
  }

  // ---- groups ----------------------------------------------------------------------------------

  @Test
  void a_groups_callback_waits_for_every_member_failed_ones_included_and_runs_once() {
    Party party = party(builder(store, "node-1"));
    Group group = party.group(List.of(TaskRequest.of("member", Map.of("n", 2)), TaskRequest.of("fail"),
        TaskRequest.of("member", Map.of("n", 5))), TaskRequest.of("sum"));
    assertThat(task(party, group.callback()).displayState(clock.instant())).isEqualTo("WAITING");

    party.runNow(group.members().getFirst());
    assertThat(task(party, group.callback()).waiting()).as("two members left").isTrue();
    party.runDue();

    TaskView callback = task(party, group.callback());
    assertThat(callback.state()).isEqualTo(TaskState.FINISHED);
    assertThat(callback.result()).isEqualTo("{\"failed\":1,\"members\":3,\"sum\":7}");
    assertThat(callbacks).hasValue(1);
  }

  @Test
  void a_member_retried_after_it_failed_holds_the_callback_back_until_it_ends_again() {
    Party party = party(builder(store, "node-1"));
    Group group = party.group(List.of(TaskRequest.of("fail"), TaskRequest.of("member", Map.of("n", 1))), TaskRequest.of("sum"));
    party.runNow(group.members().getFirst());
    party.retry(group.members().getFirst());
    party.runNow(group.members().getLast());
    assertThat(task(party, group.callback()).waiting()).as("the retried member is PENDING again").isTrue();

    party.runDue();
    assertThat(task(party, group.callback()).state()).isEqualTo(TaskState.FINISHED);
    assertThat(callbacks).hasValue(1);
  }

  @Test
  void a_cancelled_member_counts_as_ended_and_the_callback_sees_members_in_the_order_given() {
    Party party = party(builder(store, "node-1"));
    Group group = party.group(List.of(TaskRequest.of("member", Map.of("n", 3)), TaskRequest.of("member", Map.of("n", 1)),
        TaskRequest.of("member", Map.of("n", 2))), TaskRequest.of("order"));
    party.cancel(group.members().get(1));
    party.runDue();
    assertThat(task(party, group.callback()).result()).isEqualTo("[3,1,2]");
  }

  @Test
  void a_step_whose_lease_ran_out_on_its_last_attempt_breaks_the_chain() {
    Party party = party(builder(store, "node-1"));
    Chain chain = party.chain(add(1).maxAttempts(1), add(2));
    var claim = new dev.party.store.Claim("gone-node", java.util.Set.of("add"), null, 1, Duration.ofMinutes(1), clock.pinned(), Map.of());
    assertThat(store.claim(claim)).hasSize(1); // a node claims the first step, then dies
    clock.advance(Duration.ofMinutes(5));
    party.sweepLeases();
    assertThat(chain.steps()).extracting(id -> task(party, id).state()).containsExactly(TaskState.FAILED, TaskState.CANCELLED);
  }

  @Test
  void a_group_of_1000_members_on_two_nodes_runs_its_callback_exactly_once() throws Exception {
    Party first = party(builder(store, "node-1").workers(4));
    TaskStore other = openSameStore();
    closing.add(other);
    Party second = party(builder(other, "node-2").workers(4));
    List<TaskRequest> members = IntStream.rangeClosed(1, 1_000).mapToObj(n -> TaskRequest.of("member", Map.of("n", n))).toList();
    Group group = first.group(members, TaskRequest.of("sum"));
    first.start();
    second.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> task(first, group.callback()).state() == TaskState.FINISHED);
    assertThat(task(first, group.callback()).result()).isEqualTo("{\"failed\":0,\"members\":1000,\"sum\":500500}");
    assertThat(callbacks).hasValue(1);
    assertThat(first.tasks(TaskQuery.all().state(TaskState.FINISHED).limit(TaskQuery.MAX_LIMIT)))
        .extracting(TaskView::handler).contains("sum");
  }

  @Test
  void a_chain_or_group_that_cannot_be_stored_whole_stores_nothing() {
    Party party = party(builder(store, "node-1"));
    assertThatThrownBy(() -> party.chain(add(1))).isInstanceOf(InvalidTaskException.class).hasMessageContaining("two steps");
    assertThatThrownBy(() -> party.chain(add(1), TaskRequest.of("nobody"))).isInstanceOf(dev.party.error.UnknownHandlerException.class);
    assertThatThrownBy(() -> party.group(List.of(), TaskRequest.of("sum"))).isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> party.group(List.of(add(1).batchKey("k")), TaskRequest.of("sum")))
        .isInstanceOf(InvalidTaskException.class).hasMessageContaining("batch key");
    assertThat(party.tasks(TaskQuery.all())).isEmpty();
  }

  // ---- continuations ---------------------------------------------------------------------------

  /** "hop" continues itself until its n is 3; the last hop waits an hour. */
  private PartyBuilder hopping() {
    return builder(store, "node-1").handlers(h -> h.handler("hop", context -> {
      int n = context.data().path("n").asInt();
      if (n == 3) return Outcome.done("landed");
      TaskRequest next = TaskRequest.of("hop", Map.of("n", n + 1));
      return Outcome.then(n == 2 ? next.runIn(Duration.ofHours(1)) : next);
    }));
  }

  /** The steps of the continuation {@code first} starts, each found through its continuedBy. */
  private List<TaskView> steps(Party party, TaskId first) {
    List<TaskView> steps = new ArrayList<>(List.of(task(party, first)));
    while (steps.getLast().continuedBy() != null) steps.add(task(party, steps.getLast().continuedBy()));
    return steps;
  }

  @Test
  void the_first_task_of_a_continuation_names_the_task_that_continued_it_and_the_last_with_its_state() {
    Party party = party(hopping());
    TaskId first = party.enqueue(TaskRequest.of("hop", Map.of("n", 0)));
    assertThat(task(party, first).continuedBy()).isNull();
    assertThat(task(party, first).lastStep()).isNull();

    assertThat(party.runDue()).isEqualTo(3);
    List<TaskView> steps = steps(party, first);
    assertThat(steps).hasSize(4);
    TaskView a = steps.get(0), b = steps.get(1), d = steps.get(3);
    assertThat(a.state()).isEqualTo(TaskState.FINISHED);
    assertThat(a.continues()).isNull();
    assertThat(b.continues()).isEqualTo(a.id());
    assertThat(steps).extracting(TaskView::continues).containsExactly(null, a.id(), b.id(), steps.get(2).id());
    assertThat(a.lastStep().id()).isEqualTo(d.id());
    assertThat(a.lastStep().state()).isEqualTo(TaskState.PENDING);
    assertThat(a.lastStep().displayState(clock.instant())).isEqualTo("SCHEDULED");

    clock.advance(Duration.ofHours(1));
    assertThat(party.runDue()).isEqualTo(1);
    TaskView.LastStep last = task(party, first).lastStep();
    assertThat(last.id()).isEqualTo(d.id());
    assertThat(last.state()).isEqualTo(TaskState.FINISHED);
    assertThat(task(party, d.id()).result()).isEqualTo("\"landed\"");
    assertThat(task(party, b.id()).lastStep()).isEqualTo(last);
    assertThat(task(party, d.id()).lastStep()).isEqualTo(last);
    assertThat(task(party, d.id()).continuedBy()).isNull();
  }

  @Test
  void the_last_step_is_still_found_from_the_first_after_cleanup_removed_the_steps_between() {
    Party party = party(hopping());
    TaskId first = party.enqueue(TaskRequest.of("hop", Map.of("n", 0)));
    party.runDue();
    clock.advance(Duration.ofHours(1));
    party.runDue();
    List<TaskView> steps = steps(party, first);

    assertThat(store.deleteFinal(List.of(steps.get(1).id(), steps.get(2).id()))).isEqualTo(2);

    TaskView a = task(party, first);
    assertThat(a.continuedBy()).isEqualTo(steps.get(1).id()); // named still, though gone
    assertThat(a.lastStep().id()).isEqualTo(steps.get(3).id());
    assertThat(a.lastStep().state()).isEqualTo(TaskState.FINISHED);
  }

  @Test
  void a_task_outside_any_continuation_shows_none_and_listings_show_the_links() {
    Party party = party(hopping());
    TaskId alone = party.enqueue(add(1));
    TaskId first = party.enqueue(TaskRequest.of("hop", Map.of("n", 2)));
    party.runDue();

    assertThat(task(party, alone).lastStep()).isNull();
    assertThat(task(party, alone).continuedBy()).isNull();
    TaskView continued = party.tasks(TaskQuery.all()).stream().filter(t -> t.id().equals(first)).findFirst().orElseThrow();
    assertThat(continued.continuedBy()).isNotNull();
    assertThat(continued.lastStep()).isNull(); // only a single read looks the last step up
  }
}
