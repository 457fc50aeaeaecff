package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.engine.TaskIds;
import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.Complete;
import dev.party.store.Completion;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.RegisterWorker;
import dev.party.store.ReleaseExpired;
import dev.party.store.ReleaseOwner;
import dev.party.store.Released;
import dev.party.store.Requeue;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Crash isolation on a real store: a worker that dies takes the blame off the tasks it ran beside
 * the culprit. Tasks taken back from it are suspects, claimed one at a time by an idle node only; a
 * crash with one task running is that task's, and its third is a quarantine with the exit code.
 */
public abstract class CrashIsolationContract extends StoreContract {
  private static final Duration LEASE = Duration.ofSeconds(30);

  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(5));

  private TaskId insert() {
    NewTask task = new NewTask(ids.next(), "a", "default", "{}", 0, null, null, 6, null, null);
    store.insert(new InsertTasks(List.of(task), clock.pinned()));
    return task.id();
  }

  private List<ClaimedTask> claim(String owner, int limit, boolean idle) {
    return store.claim(new Claim(owner, Set.of("a"), null, limit, LEASE, clock.pinned(), Map.of(), idle));
  }

  private void register(String worker) {
    store.registerWorker(new RegisterWorker(worker, "host", 1, List.of(), 2, null, Duration.ofSeconds(10), clock.pinned()));
  }

  /** The worker dies with exit code {@code code}; its restarted process takes back its runs. */
  private List<Released> crash(String worker, int code) {
    store.recordExit(worker, code);
    List<Released> released = store.releaseOwner(new ReleaseOwner(worker, clock.pinned(), 3));
    register(worker);
    return released;
  }

  private TaskView task(TaskId id) {
    return store.get(id).orElseThrow();
  }

  @Test
  void a_crash_with_two_tasks_running_counts_no_attempt_and_makes_both_suspects() {
    register("w-1");
    TaskId culprit = insert();
    TaskId innocent = insert();
    assertThat(claim("w-1", 2, true)).hasSize(2);

    List<Released> released = crash("w-1", 137);

    assertThat(released).extracting(Released::state).containsOnly(TaskState.PENDING);
    for (TaskId id : List.of(culprit, innocent)) {
      assertThat(task(id).attempts()).as("which task crashed it is unknown: no attempt counted").isZero();
      assertThat(task(id).error()).contains("exit code 137").contains("runs alone next");
    }
  }

  @Test
  void a_suspect_is_claimed_only_by_an_idle_node_and_then_alone() {
    register("w-1");
    TaskId first = insert();
    TaskId second = insert();
    claim("w-1", 2, true);
    crash("w-1", 1);
    TaskId fresh = insert();

    assertThat(claim("w-2", 5, false)).as("a busy node passes suspects over")
        .extracting(c -> c.task().id()).containsExactly(fresh);
    List<ClaimedTask> alone = claim("w-3", 5, true);
    assertThat(alone).as("an idle node takes one suspect and nothing beside it").hasSize(1);
    assertThat(alone.getFirst().suspect()).isTrue();
    assertThat(alone.getFirst().task().id()).isIn(first, second);
  }

  @Test
  void a_task_that_crashes_its_worker_alone_is_quarantined_at_the_third_crash_with_the_exit_code() {
    register("w-1");
    TaskId culprit = insert();
    TaskId innocent = insert();
    claim("w-1", 2, true);
    crash("w-1", 137); // both suspects, crash 1 each

    // The restarted worker runs one suspect at a time: the innocent one finishes and is cleared.
    ClaimedTask next = claim("w-1", 2, true).getFirst();
    while (next.task().id().equals(culprit)) {
      crash("w-1", 137);
      next = claim("w-1", 2, true).getFirst();
    }
    store.complete(new Complete("w-1", List.of(new Completion.Finish(next.ref(), "{}", List.of())), clock.pinned()));
    assertThat(task(innocent).state()).isEqualTo(TaskState.FINISHED);

    while (task(culprit).state() == TaskState.PENDING) {
      List<ClaimedTask> claimed = claim("w-1", 2, true);
      assertThat(claimed).extracting(c -> c.task().id()).containsExactly(culprit);
      crash("w-1", 137);
    }

    TaskView quarantined = task(culprit);
    assertThat(quarantined.state()).isEqualTo(TaskState.FAILED);
    assertThat(quarantined.error()).startsWith("crashed its worker 3 times (exit code 137)").contains("quarantined");
    assertThat(quarantined.attempts()).as("the shared crash did not count; the two alone did").isEqualTo(2);
    assertThat(claim("w-1", 2, true)).isEmpty();
  }

  @Test
  void a_quarantined_task_requeued_by_hand_starts_afresh_and_is_no_suspect() {
    register("w-1");
    TaskId id = insert();
    claim("w-1", 1, true);
    store.releaseOwner(new ReleaseOwner("w-1", clock.pinned(), 1));
    assertThat(task(id).state()).isEqualTo(TaskState.FAILED);

    store.requeue(new Requeue(id, "fixed", clock.pinned(), null));

    assertThat(claim("w-2", 5, false)).as("a busy node takes it: no longer a suspect")
        .extracting(c -> c.task().id()).containsExactly(id);
  }

  @Test
  void the_expired_lease_sweep_makes_suspects_too_and_quarantines_at_the_limit() {
    register("w-1");
    TaskId id = insert();
    claim("w-1", 1, true);
    clock.advance(LEASE.plusSeconds(1));

    List<Released> released = store.releaseExpired(new ReleaseExpired(clock.pinned(), 1));

    assertThat(released).extracting(Released::state).containsExactly(TaskState.FAILED);
    assertThat(task(id).error()).startsWith("crashed its worker 1 times").contains("lease expired");
  }

  @Test
  void a_new_registration_clears_the_recorded_exit_code() {
    register("w-1");
    store.recordExit("w-1", 9);
    register("w-1");
    TaskId id = insert();
    claim("w-1", 1, true);

    store.releaseOwner(new ReleaseOwner("w-1", clock.pinned(), 3));

    assertThat(task(id).error()).doesNotContain("exit code").contains("crash 1 of 3");
  }
}
