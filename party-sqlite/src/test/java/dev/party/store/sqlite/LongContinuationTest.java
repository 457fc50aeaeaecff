package dev.party.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.Party;
import dev.party.task.Outcome;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trampoline: 10,000 continuation steps, each stored as the one before it finishes, grow no
 * stack and no heap. On SQLite with synchronous=NORMAL, so the test measures Party, not fsync.
 */
class LongContinuationTest {
  private static final int STEPS = 10_000;

  @TempDir Path dir;

  @Test
  void ten_thousand_continuation_steps_grow_no_stack_and_no_heap() {
    AtomicInteger firstDepth = new AtomicInteger();
    AtomicInteger lastDepth = new AtomicInteger();
    long[] heapAtStep = new long[2];
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db"), SqliteStore.Durability.NORMAL, InstantSource.system());
        Party party = Party.builder(store).handlers(h -> h.handler("step", context -> {
          int n = context.data().path("n").asInt();
          int depth = Thread.currentThread().getStackTrace().length;
          if (n == 1) firstDepth.set(depth);
          if (n == 1_000) heapAtStep[0] = usedHeapAfterGc();
          if (n == STEPS) {
            lastDepth.set(depth);
            heapAtStep[1] = usedHeapAfterGc();
            return Outcome.done(Map.of("n", n));
          }
          return Outcome.then(TaskRequest.of("step", Map.of("n", n + 1)));
        })).build()) {
      party.enqueue(TaskRequest.of("step", Map.of("n", 1)));
      int ran = 0;
      while (ran < STEPS) {
        int now = party.runDue();
        if (now == 0) break;
        ran += now;
      }
      assertThat(ran).isEqualTo(STEPS);
      assertThat(party.status().states()).containsEntry(TaskState.FINISHED, (long) STEPS).containsEntry(TaskState.PENDING, 0L);
      assertThat(party.tasks(TaskQuery.all().state(TaskState.PENDING))).isEmpty();
    }
    assertThat(lastDepth.get()).as("stack depth at the last step").isEqualTo(firstDepth.get());
    assertThat(heapAtStep[1] - heapAtStep[0]).as("heap growth from step 1,000 to 10,000, bytes").isLessThan(16L << 20);
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
