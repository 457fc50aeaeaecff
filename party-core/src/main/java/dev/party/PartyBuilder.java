package dev.party;

import dev.party.event.PartyListener;
import dev.party.schedule.Schedule;
import dev.party.store.TaskStore;
import dev.party.task.Handlers;
import dev.party.task.TaskModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** Collects settings and handlers; {@link #build()} validates everything at once. */
public final class PartyBuilder {
  private final TaskStore store;
  private PartyConfig config = PartyConfig.defaults();
  private PartyClock clock = PartyClock.system();
  private RandomGenerator random;
  private final List<PartyListener> listeners = new ArrayList<>();
  private final List<Consumer<Handlers>> registrations = new ArrayList<>();
  private final List<Schedule> schedules = new ArrayList<>();

  PartyBuilder(TaskStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  public PartyBuilder config(PartyConfig value) {
    this.config = value;
    return this;
  }

  public PartyBuilder workerId(String value) {
    return config(new PartyConfig(value, config.workers(), config.virtualThreads(), config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace()));
  }

  public PartyBuilder workers(int value) {
    return config(new PartyConfig(config.workerId(), value, config.virtualThreads(), config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace()));
  }

  /** Runs handlers on virtual threads, {@code workers} at a time. */
  public PartyBuilder virtualThreads(boolean value) {
    return config(new PartyConfig(config.workerId(), config.workers(), value, config.queues(),
        config.lease(), config.heartbeat(), config.pollInterval(), config.shutdownGrace()));
  }

  public PartyBuilder queues(Set<String> value) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        value == null ? null : Set.copyOf(value), config.lease(), config.heartbeat(),
        config.pollInterval(), config.shutdownGrace()));
  }

  public PartyBuilder lease(Duration lease, Duration heartbeat) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        config.queues(), lease, heartbeat, config.pollInterval(), config.shutdownGrace()));
  }

  public PartyBuilder pollInterval(Duration value) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        config.queues(), config.lease(), config.heartbeat(), value, config.shutdownGrace()));
  }

  public PartyBuilder shutdownGrace(Duration value) {
    return config(new PartyConfig(config.workerId(), config.workers(), config.virtualThreads(),
        config.queues(), config.lease(), config.heartbeat(), config.pollInterval(), value));
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

  public PartyBuilder module(TaskModule module) {
    return handlers(module::register);
  }

  public Party build() {
    config.validate();
    RandomGenerator chosen = random != null ? random : RandomGenerator.getDefault();
    PartyListener listener = switch (listeners.size()) {
      case 0 -> PartyListener.NONE;
      case 1 -> listeners.getFirst();
      default -> new ListenerGroup(List.copyOf(listeners));
    };
    return new Party(config, store, clock, chosen, listener, List.copyOf(registrations), List.copyOf(schedules));
  }
}
