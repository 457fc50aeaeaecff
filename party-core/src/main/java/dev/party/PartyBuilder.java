package dev.party;

import dev.party.error.ConfigException;
import dev.party.event.PartyListener;
import dev.party.schedule.Schedule;
import dev.party.store.TaskStore;
import dev.party.task.Handlers;
import dev.party.task.TaskModule;
import dev.party.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;

/** Collects settings and handlers; {@link #build()} validates everything at once. */
public final class PartyBuilder {
  private final TaskStore store;
  private PartyConfig config = PartyConfig.defaults();
  private boolean workersGiven;
  private PartyClock clock = PartyClock.system();
  private RandomGenerator random;
  private final List<PartyListener> listeners = new ArrayList<>();
  private final List<Consumer<Handlers>> registrations = new ArrayList<>();
  private final List<Schedule> schedules = new ArrayList<>();
  private final Map<String, DataSource> dataSources = new LinkedHashMap<>();
  private CleanupConfig cleanup = CleanupConfig.defaults();
  private final Map<String, UnaryOperator<TaskType>> typeChanges = new LinkedHashMap<>();

  PartyBuilder(TaskStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  public PartyBuilder config(PartyConfig value) {
    this.config = value;
    return this;
  }

  public PartyBuilder workerId(String value) {
    return config(new PartyConfig(value, config.workers(), config.virtualThreads(), config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace(), config.queueWorkers(), config.maxCrashes()));
  }

  /**
   * How many tasks run at once, from every queue (or those of {@link #queues}). Cannot be combined
   * with {@link #queue(String, int)}. Default: one per core.
   */
  public PartyBuilder workers(int value) {
    workersGiven = true;
    return config(new PartyConfig(config.workerId(), value, config.virtualThreads(), config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace(), config.queueWorkers(), config.maxCrashes()));
  }

  /** Runs handlers on virtual threads, {@code workers} at a time. */
  public PartyBuilder virtualThreads(boolean value) {
    return config(new PartyConfig(config.workerId(), config.workers(), value, config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace(), config.queueWorkers(), config.maxCrashes()));
  }

  /** Only tasks of these queues; null for all. Cannot be combined with {@link #queue(String, int)}. Default: all. */
  public PartyBuilder queues(Set<String> value) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        value == null ? null : Set.copyOf(value), config.lease(), config.heartbeat(),
        config.pollInterval(), config.shutdownGrace(), config.queueWorkers(), config.maxCrashes()));
  }

  /**
   * Serves queue {@code name} with {@code workers} slots of its own: at most that many of its tasks
   * run at once on this node, whatever the other queues hold. Once any queue is given this way the
   * node serves exactly the queues given (each call adds one, or changes its count), and {@link
   * #workers} and {@link #queues} may not be set: {@code queue("video", 2).queue("default", 8)}
   * runs at most 10 tasks, 2 of them videos, and no other queue.
   */
  public PartyBuilder queue(String name, int workers) {
    Map<String, Integer> counts = new LinkedHashMap<>(config.queueWorkers());
    counts.put(name, workers);
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(), config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace(), counts, config.maxCrashes()));
  }

  public PartyBuilder lease(Duration lease, Duration heartbeat) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        config.queues(), lease, heartbeat, config.pollInterval(), config.shutdownGrace(), config.queueWorkers(), config.maxCrashes()));
  }

  public PartyBuilder pollInterval(Duration value) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        config.queues(), config.lease(), config.heartbeat(), value, config.shutdownGrace(), config.queueWorkers(), config.maxCrashes()));
  }

  public PartyBuilder shutdownGrace(Duration value) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        config.queues(), config.lease(), config.heartbeat(), config.pollInterval(), value, config.queueWorkers(), config.maxCrashes()));
  }

  /**
   * How many times a task may crash its worker (the process died or hung while running it) before
   * it is quarantined: FAILED, not retried. Default: 3.
   */
  public PartyBuilder maxCrashes(int value) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(), config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace(), config.queueWorkers(), value));
  }

  /** A test clock; production uses the system clock and the store's own. */
  public PartyBuilder clock(PartyClock value) {
    this.clock = Objects.requireNonNull(value);
    return this;
  }

  /** Randomness for backoff jitter and ids; tests may fix it. */
  public PartyBuilder random(RandomGenerator value) {
    this.random = Objects.requireNonNull(value);
    return this;
  }

  /** Adds a listener; each one added hears every event, in the order they were added. */
  public PartyBuilder listener(PartyListener value) {
    listeners.add(Objects.requireNonNull(value));
    return this;
  }

  /** Registers handlers, e.g. {@code h -> h.task("SampleTask", SampleTask::new)}. */
  public PartyBuilder handlers(Consumer<Handlers> registration) {
    registrations.add(registration);
    return this;
  }

  /**
   * A schedule declared in code: {@link Party#start()} stores it, or updates the stored one of
   * its name when the definition changed, so every start may declare it again.
   */
  public PartyBuilder schedule(Schedule schedule) {
    schedules.add(Objects.requireNonNull(schedule));
    return this;
  }

  /**
   * A pooled data source handlers get by name with {@code context.dataSource(name)}. Whoever made
   * it closes it, after the Party.
   */
  public PartyBuilder dataSource(String name, DataSource source) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("a data source needs a name");
    if (dataSources.putIfAbsent(name, Objects.requireNonNull(source, "source")) != null) {
      throw new IllegalArgumentException("two data sources are named '" + name + "'");
    }
    return this;
  }

  /**
   * The built-in cleanup of final tasks ({@code TaskCleanup}): how often, how long tasks are kept,
   * dump files or the archive table. Default: {@link CleanupConfig#defaults()}, hourly, 7 days, archive.
   */
  public PartyBuilder cleanup(CleanupConfig value) {
    this.cleanup = Objects.requireNonNull(value, "cleanup");
    return this;
  }

  /**
   * Changes the settings of the handler named {@code handler} as it is registered, whoever
   * registers it (a module, a jar in the tasks folder): how operators tune a handler they did not
   * write, from the config file's {@code task-types:}. A second change of one handler applies after
   * the first. {@link #build()} refuses a change for a handler nobody registered.
   */
  public PartyBuilder taskType(String handler, UnaryOperator<TaskType> change) {
    Objects.requireNonNull(change, "change");
    typeChanges.merge(Objects.requireNonNull(handler, "handler"), change,
        (first, second) -> type -> second.apply(first.apply(type)));
    return this;
  }

  public PartyBuilder module(TaskModule module) {
    return handlers(module::register);
  }

  public Party build() {
    if (workersGiven && !config.queueWorkers().isEmpty()) {
      throw new ConfigException(("give workers(%d) or per-queue counts %s, not both: with per-queue counts the node"
          + " runs their sum").formatted(config.workers(), config.queueWorkers(), config.maxCrashes()));
    }
    config.validate();
    RandomGenerator chosen = random != null ? random : RandomGenerator.getDefault();
    PartyListener listener = switch (listeners.size()) {
      case 0 -> PartyListener.NONE;
      case 1 -> listeners.getFirst();
      default -> new ListenerGroup(List.copyOf(listeners));
    };
    return new Party(config, store, clock, chosen, listener, List.copyOf(registrations), List.copyOf(schedules),
        Map.copyOf(dataSources), cleanup, Map.copyOf(typeChanges));
  }
}
