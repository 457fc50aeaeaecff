package dev.party.engine;

import dev.party.PartyClock;
import dev.party.error.PartyException;
import dev.party.store.ClaimedTask;
import dev.party.store.RunNote;
import dev.party.store.TaskStore;
import dev.party.task.Chain;
import dev.party.task.Group;
import dev.party.task.TaskClient;
import dev.party.task.TaskContext;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context of one run; its writes are fenced by the run's lease. */
final class RunContext<D> implements TaskContext<D> {
  private static final Logger log = LoggerFactory.getLogger(RunContext.class);
  private final ClaimedTask claimed;
  private final D data;
  private final String workerId;
  private final Instant startedAt;
  private final TaskStore store;
  private final TaskClient client;
  private final PartyClock clock;
  private final BooleanSupplier stopping;
  private final BooleanSupplier interrupting;
  private final InFlight inFlight;
  private final BooleanSupplier timedOut;
  private final Map<String, DataSource> dataSources;

  /** @param timedOut true once the run passed its task type's timeout */
  RunContext(ClaimedTask claimed, D data, String workerId, Instant startedAt, Services services,
      BooleanSupplier timedOut) {
    this.claimed = claimed;
    this.data = data;
    this.workerId = workerId;
    this.startedAt = startedAt;
    this.store = services.store();
    this.client = services.client();
    this.clock = services.clock();
    this.stopping = services.stopping();
    this.interrupting = services.interrupting();
    this.inFlight = services.inFlight();
    this.timedOut = timedOut;
    this.dataSources = services.dataSources();
  }

  /**
   * What every run context of one engine shares.
   *
   * @param stopping true once the engine's shutdown began (runs may still finish)
   * @param interrupting true once its grace period ran out and runs are interrupted
   */
  record Services(TaskStore store, TaskClient client, PartyClock clock, BooleanSupplier stopping,
      BooleanSupplier interrupting, InFlight inFlight, Map<String, DataSource> dataSources) {}

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
  public DataSource dataSource(String name) {
    DataSource source = dataSources.get(name);
    if (source == null) {
      throw new IllegalArgumentException("no data source named '%s'; this node has %s"
          .formatted(name, dataSources.keySet().stream().sorted().toList()));
    }
    return source;
  }

  @Override
  public Optional<TaskView> previousStep() {
    return store.previousStep(claimed.task().id());
  }

  @Override
  public List<TaskView> groupMembers() {
    return store.groupMembers(claimed.task().id());
  }

  @Override
  public void progress(int percent) {
    note(Math.max(0, Math.min(100, percent)), null);
  }

  @Override
  public void log(String message) {
    note(null, message);
  }

  /** Progress and log lines are best effort: a store hiccup must not fail the run. */
  private void note(Integer progress, String message) {
    try {
      if (!store.note(new RunNote(claimed.ref(), workerId, progress, message, clock.pinned()))) {
        inFlight.markLost(claimed.ref());
      }
    } catch (PartyException e) {
      log.warn("could not record progress or a log line of task {}: {}", claimed.task().id(), e.getMessage());
    }
  }

  @Override
  public boolean isCancelled() {
    return interrupting.getAsBoolean() || inFlight.isLost(claimed.ref()) || timedOut.getAsBoolean();
  }

  @Override
  public boolean isStopping() {
    return stopping.getAsBoolean();
  }

  @Override
  public TaskId enqueue(TaskRequest request) {
    return client.enqueue(request);
  }

  @Override
  public Chain chain(List<TaskRequest> steps) {
    return client.chain(steps);
  }

  @Override
  public Group group(List<TaskRequest> members, TaskRequest callback) {
    return client.group(members, callback);
  }
}
