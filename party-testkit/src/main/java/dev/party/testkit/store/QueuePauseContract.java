package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.engine.TaskIds;
import dev.party.store.Claim;
import dev.party.store.ClaimOne;
import dev.party.store.ClaimedTask;
import dev.party.store.InsertTasks;
import dev.party.store.Limits;
import dev.party.store.NewTask;
import dev.party.store.QueueView;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Paused queues on a real store: claims on any node skip their tasks (plain, limited and singleton
 * ones), run-now still takes them, and the listing shows each queue's pause and counts.
 */
public abstract class QueuePauseContract extends StoreContract {
  private static final Duration LEASE = Duration.ofSeconds(30);

  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(13));

  private NewTask task(String handler, String queue) {
    return new NewTask(ids.next(), handler, queue, "{}", 0, null, null, 6, null, null);
  }

  private TaskId insert(NewTask task) {
    store.insert(new InsertTasks(List.of(task), clock.pinned()));
    return task.id();
  }

  private List<TaskId> claim(Set<String> queues, Map<String, Limits> limits) {
    return store.claim(new Claim("w-1", Set.of("a", "b"), queues, 10, LEASE, clock.pinned(), limits))
        .stream().map(claimed -> claimed.task().id()).toList();
  }

  private QueueView queue(String name) {
    return store.queues().stream().filter(q -> q.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void claims_skip_a_paused_queue_and_take_it_again_once_resumed() {
    TaskId video = insert(task("a", "video"));
    TaskId mail = insert(task("a", "mail"));
    store.pauseQueue("video", true, clock.pinned());

    assertThat(claim(null, Map.of())).as("a claim for every queue").containsExactly(mail);
    assertThat(claim(Set.of("video"), Map.of())).as("a claim for the paused queue only").isEmpty();

    store.pauseQueue("video", false, clock.pinned());
    assertThat(claim(Set.of("video"), Map.of())).containsExactly(video);
  }

  @Test
  void limited_tasks_of_a_paused_queue_are_not_claimed_either() {
    TaskId video = insert(task("a", "video"));
    store.pauseQueue("video", true, clock.pinned());

    assertThat(claim(null, Map.of("a", new Limits(5, null)))).isEmpty();

    store.pauseQueue("video", false, clock.pinned());
    assertThat(claim(null, Map.of("a", new Limits(5, null)))).containsExactly(video);
  }

  @Test
  void a_paused_queue_neither_skips_nor_blocks_singleton_tasks() {
    TaskId running = insert(task("a", "mail").withSingleton("k", SingletonPolicy.SKIP));
    assertThat(claim(null, Map.of())).containsExactly(running);
    TaskId waiting = insert(task("a", "video").withSingleton("k", SingletonPolicy.SKIP));
    store.pauseQueue("video", true, clock.pinned());

    assertThat(claim(null, Map.of())).isEmpty();
    assertThat(store.get(waiting).orElseThrow().state()).as("not skipped while its queue is paused")
        .isEqualTo(TaskState.PENDING);
  }

  @Test
  void run_now_still_takes_a_task_of_a_paused_queue() {
    TaskId video = insert(task("a", "video"));
    store.pauseQueue("video", true, clock.pinned());

    ClaimedTask claimed = store.claimOne(new ClaimOne(video, "w-1", LEASE, clock.pinned(), Map.of())).orElseThrow();
    assertThat(claimed.task().id()).isEqualTo(video);
  }

  @Test
  void queues_are_listed_with_their_pause_and_counts() {
    insert(task("a", "video"));
    insert(task("a", "video"));
    insert(task("b", "mail"));
    assertThat(claim(Set.of("mail"), Map.of())).hasSize(1);
    Instant pausedAt = clock.instant();
    QueueView paused = store.pauseQueue("video", true, clock.pinned());
    store.pauseQueue("later", true, clock.pinned());
    store.pauseQueue("later", false, clock.pinned());

    assertThat(paused).isEqualTo(new QueueView("video", true, pausedAt, 2, 0));
    assertThat(store.queues()).containsExactly(
        new QueueView("later", false, null, 0, 0),
        new QueueView("mail", false, null, 0, 1),
        new QueueView("video", true, pausedAt, 2, 0));

    clock.advance(Duration.ofMinutes(1));
    store.pauseQueue("video", true, clock.pinned());
    assertThat(queue("video").pausedAt()).as("a second pause keeps the first time").isEqualTo(pausedAt);
    assertThat(store.pauseQueue("video", false, clock.pinned())).isEqualTo(new QueueView("video", false, null, 2, 0));
  }
}
