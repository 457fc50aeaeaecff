package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.engine.TaskIds;
import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.RegisterWorker;
import dev.party.store.WorkerRef;
import dev.party.store.WorkerView;
import dev.party.store.WorkerView.State;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The worker registry on a real store, aged with a {@link MutableClock}: live within 3 heartbeat
 * intervals, then dead unless stopped cleanly, dropped after a day, with running tasks by lease owner.
 */
public abstract class WorkerRegistryContract extends StoreContract {
  private static final Duration HEARTBEAT = Duration.ofSeconds(10);

  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(11));

  private void register(String name, List<String> queues) {
    store.registerWorker(new RegisterWorker(name, "host-a", 4242, queues, 8, "1.2.3", HEARTBEAT, clock.pinned()));
  }

  private WorkerView worker(String name) {
    return store.workers(clock.pinned()).stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
  }

  private List<String> names() {
    return store.workers(clock.pinned()).stream().map(WorkerView::name).toList();
  }

  @Test
  void a_registered_worker_is_listed_live_with_what_it_said_about_itself() {
    register("host-a-1", List.of("video", "default"));

    WorkerView worker = worker("host-a-1");
    assertThat(worker.state()).isEqualTo(State.LIVE);
    assertThat(worker.host()).isEqualTo("host-a");
    assertThat(worker.pid()).isEqualTo(4242);
    assertThat(worker.queues()).containsExactly("video", "default");
    assertThat(worker.slots()).isEqualTo(8);
    assertThat(worker.version()).isEqualTo("1.2.3");
    assertThat(worker.heartbeat()).isEqualTo(HEARTBEAT);
    assertThat(worker.startedAt()).isEqualTo(clock.instant());
    assertThat(worker.lastHeartbeat()).isEqualTo(clock.instant());
    assertThat(worker.stoppedAt()).isNull();
    assertThat(worker.running()).isEmpty();
  }

  @Test
  void a_worker_serving_all_queues_lists_none() {
    register("host-a-1", List.of());

    assertThat(worker("host-a-1").queues()).isEmpty();
  }

  @Test
  void a_worker_is_live_for_three_heartbeat_intervals_and_dead_after() {
    register("host-a-1", List.of());

    clock.advance(HEARTBEAT.multipliedBy(3));
    assertThat(worker("host-a-1").state()).isEqualTo(State.LIVE);

    clock.advance(Duration.ofSeconds(1));
    assertThat(worker("host-a-1").state()).isEqualTo(State.DEAD);

    store.workerHeartbeat(new WorkerRef("host-a-1", clock.pinned()));
    assertThat(worker("host-a-1").state()).isEqualTo(State.LIVE);
    assertThat(worker("host-a-1").lastHeartbeat()).isEqualTo(clock.instant());
  }

  @Test
  void a_clean_stop_shows_as_stopped_not_dead_and_a_restart_is_live_again() {
    register("host-a-1", List.of());
    Instant firstStart = clock.instant();
    clock.advance(Duration.ofSeconds(5));
    store.stopWorker(new WorkerRef("host-a-1", clock.pinned()));

    clock.advance(Duration.ofMinutes(5));
    WorkerView stopped = worker("host-a-1");
    assertThat(stopped.state()).isEqualTo(State.STOPPED);
    assertThat(stopped.stoppedAt()).isEqualTo(firstStart.plusSeconds(5));

    store.workerHeartbeat(new WorkerRef("host-a-1", clock.pinned()));
    assertThat(worker("host-a-1").state()).as("a stopped worker's late heartbeat does not revive it")
        .isEqualTo(State.STOPPED);

    register("host-a-1", List.of());
    WorkerView restarted = worker("host-a-1");
    assertThat(restarted.state()).isEqualTo(State.LIVE);
    assertThat(restarted.stoppedAt()).isNull();
    assertThat(restarted.startedAt()).isEqualTo(clock.instant());
  }

  @Test
  void running_tasks_are_listed_under_their_lease_owner() {
    register("host-a-1", List.of());
    register("host-b-1", List.of());
    NewTask first = task();
    NewTask second = task();
    NewTask third = task();
    store.insert(new InsertTasks(List.of(first, second, third), clock.pinned()));
    List<ClaimedTask> claimed = store.claim(
        new Claim("host-a-1", Set.of("a"), null, 2, Duration.ofSeconds(30), clock.pinned(), Map.of()));
    assertThat(claimed).hasSize(2);

    assertThat(worker("host-a-1").running())
        .containsExactlyInAnyOrderElementsOf(claimed.stream().map(c -> c.task().id()).toList());
    assertThat(worker("host-b-1").running()).isEmpty();
  }

  @Test
  void dead_and_stopped_workers_are_listed_for_a_day_then_dropped() {
    register("dies", List.of());
    register("stops", List.of());
    store.stopWorker(new WorkerRef("stops", clock.pinned()));

    clock.advance(Duration.ofHours(23));
    assertThat(names()).containsExactly("dies", "stops");
    assertThat(worker("dies").state()).isEqualTo(State.DEAD);

    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(names()).as("older than a day: no longer listed").isEmpty();

    register("fresh", List.of());
    assertThat(names()).containsExactly("fresh");
    clock.set(clock.instant().minus(Duration.ofHours(2)));
    assertThat(names()).as("dropped from the store by the registration, not just hidden").containsExactly("fresh");
  }

  @Test
  void heartbeat_and_stop_of_an_unknown_worker_change_nothing() {
    store.workerHeartbeat(new WorkerRef("nobody", clock.pinned()));
    store.stopWorker(new WorkerRef("nobody", clock.pinned()));

    assertThat(store.workers(clock.pinned())).isEmpty();
  }

  private NewTask task() {
    return new NewTask(ids.next(), "a", "default", "{}", 0, null, null, 6, null, null);
  }
}
