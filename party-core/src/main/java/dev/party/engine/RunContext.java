package dev.party.engine;

import dev.party.PartyClock;
import dev.party.store.ClaimedTask;
import dev.party.store.RunNote;
import dev.party.store.TaskStore;
import dev.party.task.TaskClient;
import dev.party.task.TaskContext;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskView;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** The context of one run; its writes are fenced by the run's lease. */
final class RunContext<D> implements TaskContext<D> {
  private final ClaimedTask claimed;
  private final D data;
  private final String workerId;
  private final Instant startedAt;
  private final TaskStore store;
  private final TaskClient client;
  private final PartyClock clock;
  private final BooleanSupplier stopping;

  RunContext(ClaimedTask claimed, D data, String workerId, Instant startedAt, Services services) {
    this.claimed = claimed;
    this.data = data;
    this.workerId = workerId;
    this.startedAt = startedAt;
    this.store = services.store();
    this.client = services.client();
    this.clock = services.clock();
    this.stopping = services.stopping();
  }

  /** What every run context of one engine shares. */
  record Services(TaskStore store, TaskClient client, PartyClock clock, BooleanSupplier stopping) {}

  @Override
  public TaskView task() {
    return claimed.task();
  }

  @Override
  public D data() {
    return data;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public String workerId() {
    return workerId;
  }

  @Override
  public void progress(int percent) {
    int clamped = Math.max(0, Math.min(100, percent));
    store.note(new RunNote(claimed.ref(), workerId, clamped, null, clock.pinned()));
  }

  @Override
  public void log(String message) {
    store.note(new RunNote(claimed.ref(), workerId, null, message, clock.pinned()));
  }

  @Override
  public boolean isCancelled() {
    return stopping.getAsBoolean();
  }

  @Override
  public TaskId enqueue(TaskRequest request) {
    return client.enqueue(request);
  }
}
