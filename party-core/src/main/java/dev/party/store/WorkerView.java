package dev.party.store;

import dev.party.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A worker process in the registry, as the store sees it now.
 *
 * @param running the tasks RUNNING under its name (their lease owner), by id
 * @param stoppedAt when it stopped cleanly; null while it runs, or when it died
 */
public record WorkerView(String name, String host, long pid, List<String> queues, int slots,
    String version, Duration heartbeat, Instant startedAt, Instant lastHeartbeat, Instant stoppedAt,
    State state, List<TaskId> running) {

  public WorkerView {
    queues = List.copyOf(queues);
    running = List.copyOf(running);
  }

  /**
   * LIVE: heartbeat within {@link RegisterWorker#MISSED_HEARTBEATS} of its intervals; STOPPED:
   * stopped cleanly; DEAD: neither (the process died or hangs, or lost the store).
   */
  public enum State { LIVE, DEAD, STOPPED }
}
