package dev.party.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.engine.TaskIds;
import dev.party.store.Cancel;
import dev.party.store.Claim;
import dev.party.store.ClaimedTask;
import dev.party.store.Complete;
import dev.party.store.Completion;
import dev.party.store.InsertTasks;
import dev.party.store.NewTask;
import dev.party.store.ThroughputBucket;
import dev.party.store.ThroughputQuery;
import dev.party.task.TaskId;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The throughput count behind the dashboard's chart: tasks that ended, per bucket of their end time. */
public abstract class ThroughputContract extends StoreContract {
  /** A whole hour, so minute buckets start at known instants. */
  protected final MutableClock clock = MutableClock.atEpochSecond(1_900_000_800L);
  private final TaskIds ids = new TaskIds(clock, new SplittableRandom(11));
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private TaskId insert(String handler) {
    NewTask task = new NewTask(ids.next(), handler, "default", "{}", 0, null, null, 6, null, null);
    store.insert(new InsertTasks(List.of(task), clock.pinned()));
    return task.id();
  }

  private void ended(String handler, boolean fail) {
    insert(handler);
    List<ClaimedTask> claimed = store.claim(new Claim("w", Set.of(handler), null, 1, Duration.ofSeconds(30),
        clock.pinned(), Map.of()));
    assertThat(claimed).hasSize(1);
    Completion outcome = fail ? new Completion.Fail(claimed.getFirst().ref(), "boom")
        : new Completion.Finish(claimed.getFirst().ref(), null, List.of());
    store.complete(new Complete("w", List.of(outcome), clock.pinned()));
  }

  @Test
  void ended_tasks_are_counted_per_bucket_of_their_end_time_and_others_are_not() {
    Instant start = clock.instant();
    ended("a", false);
    clock.advance(Duration.ofSeconds(59));
    ended("b", false);
    ended("a", true);
    clock.advance(Duration.ofSeconds(1));
    ended("a", false);
    clock.advance(Duration.ofMinutes(2));
    ended("a", true);
    insert("pending");
    store.cancel(new Cancel(insert("a"), "cancelled", clock.pinned()));

    List<ThroughputBucket> buckets = store.throughput(new ThroughputQuery(start, MINUTE));

    assertThat(buckets).containsExactly(
        new ThroughputBucket(start, 2, 1),
        new ThroughputBucket(start.plus(MINUTE), 1, 0),
        new ThroughputBucket(start.plus(Duration.ofMinutes(3)), 0, 1));
  }

  @Test
  void a_bucket_in_which_tasks_were_only_cancelled_is_left_out() {
    Instant start = clock.instant();
    ended("a", false);
    clock.advance(MINUTE);
    store.cancel(new Cancel(insert("a"), "cancelled", clock.pinned()));
    store.cancel(new Cancel(insert("b"), "cancelled", clock.pinned()));
    clock.advance(MINUTE);
    ended("a", true);
    store.cancel(new Cancel(insert("a"), "cancelled", clock.pinned()));

    assertThat(store.throughput(new ThroughputQuery(start, MINUTE))).containsExactly(
        new ThroughputBucket(start, 1, 0),
        new ThroughputBucket(start.plus(Duration.ofMinutes(2)), 0, 1));
    assertThat(store.throughput(new ThroughputQuery(start.plus(MINUTE), MINUTE)))
        .containsExactly(new ThroughputBucket(start.plus(Duration.ofMinutes(2)), 0, 1));
  }

  @Test
  void tasks_that_ended_before_the_window_are_left_out() {
    ended("a", false);
    clock.advance(Duration.ofMinutes(61));
    ended("a", false);
    Instant since = clock.instant().minus(Duration.ofHours(1));

    assertThat(store.throughput(new ThroughputQuery(since, MINUTE)))
        .extracting(ThroughputBucket::finished).containsExactly(1L);
    assertThat(store.throughput(new ThroughputQuery(clock.instant().plusSeconds(1), MINUTE))).isEmpty();
  }

  @Test
  void buckets_are_whole_seconds() {
    assertThatThrownBy(() -> new ThroughputQuery(clock.instant(), Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
