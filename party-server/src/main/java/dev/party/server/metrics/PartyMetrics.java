package dev.party.server.metrics;

import dev.party.event.PartyListener;
import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.Released;
import dev.party.store.StoreStatus;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Party's engine events as Prometheus metrics: tasks enqueued, started, finished, failed, retried,
 * released and fenced (per handler), run time as a histogram, and, read from the store at each
 * scrape, the tasks per state and the pending tasks per handler. Add it to the builder with
 * {@code listener(metrics)} and serve {@link #scrape} at /metrics.
 */
public final class PartyMetrics implements PartyListener {
  /** Histogram buckets from a millisecond to five minutes: enough to tell quick tasks from stuck ones. */
  private static final Duration[] RUN_TIME_BUCKETS = Stream.of(
      1L, 5L, 10L, 50L, 100L, 500L, 1_000L, 5_000L, 10_000L, 30_000L, 60_000L, 300_000L)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter enqueued = Counter.builder("party.tasks.enqueued")
      .description("Tasks stored by this node").register(registry);
  private final Map<TaskState, AtomicLong> states = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

  public PartyMetrics() {
    for (TaskState state : TaskState.values()) {
      AtomicLong count = new AtomicLong();
      states.put(state, count);
      Gauge.builder("party.tasks", count, AtomicLong::get).tag("state", state.name())
          .description("Tasks in the store by state, as of the last scrape").register(registry);
    }
  }

  /** The Prometheus text exposition, after reading the current counts from {@code status}. */
  public String scrape(Supplier<StoreStatus> status) {
    StoreStatus now = status.get();
    states.forEach((state, count) -> count.set(now.states().getOrDefault(state, 0L)));
    pending.values().forEach(count -> count.set(0));
    for (StoreStatus.HandlerCount count : now.pending()) pendingOf(count.handler()).set(count.count());
    return registry.scrape();
  }

  private AtomicLong pendingOf(String handler) {
    return pending.computeIfAbsent(handler, name -> {
      AtomicLong count = new AtomicLong();
      Gauge.builder("party.queue.depth", count, AtomicLong::get).tag("handler", name)
          .description("PENDING tasks per handler, as of the last scrape").register(registry);
      return count;
    });
  }

  private void count(String name, String handler, String description) {
    Counter.builder(name).tag("handler", handler).description(description).register(registry).increment();
  }

  @Override
  public void enqueued(List<TaskId> ids) {
    enqueued.increment(ids.size());
  }

  @Override
  public void started(ClaimedTask task) {
    count("party.tasks.started", task.task().handler(), "Runs started on this node");
  }

  @Override
  public void ran(ClaimedTask task, Duration runTime) {
    Timer.builder("party.task.run").tag("handler", task.task().handler())
        .description("How long handlers ran on this node").serviceLevelObjectives(RUN_TIME_BUCKETS)
        .register(registry).record(runTime);
  }

  @Override
  public void completed(ClaimedTask task, Completion completion) {
    String handler = task.task().handler();
    switch (completion) {
      case Completion.Finish finish -> count("party.tasks.finished", handler, "Runs that finished their task");
      case Completion.Fail fail -> count("party.tasks.failed", handler, "Runs that left their task FAILED");
      case Completion.Retry retry -> count("party.tasks.retried", handler, "Runs that failed and will be retried");
      case Completion.Release release -> count("party.tasks.released", handler, "Runs handed back unstarted or at shutdown");
    }
  }

  @Override
  public void fenced(LeaseRef ref) {
    Counter.builder("party.tasks.fenced").description("Outcomes dropped because the run had lost its lease")
        .register(registry).increment();
  }

  @Override
  public void released(List<Released> released) {
    Counter.builder("party.leases.recovered").description("Runs taken back from dead or restarted workers")
        .register(registry).increment(released.size());
  }
}
