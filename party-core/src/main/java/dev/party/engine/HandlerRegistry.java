package dev.party.engine;

import dev.party.error.ConfigException;
import dev.party.error.UnknownHandlerException;
import dev.party.store.Limits;
import dev.party.task.FunctionRef;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.PartyTask;
import dev.party.task.TaskClient;
import dev.party.task.TaskFunction;
import dev.party.task.TaskHandler;
import dev.party.task.TaskRequest;
import dev.party.task.TaskType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** The allow-list from handler names to code. A name is registered once. */
public final class HandlerRegistry implements Handlers {

  /** A registered handler with its settings and the type its data binds to. */
  public record Registered<D>(TaskType type, Class<D> dataType, TaskHandler<D> handler) {}

  private final Map<String, Registered<?>> byName = new ConcurrentHashMap<>();
  /** An immutable copy of the names, made at registration: the dispatcher reads it every step. */
  private volatile Set<String> names = Set.of();
  /** The limits of the types that set any, made at registration: every claim sends them. */
  private volatile Map<String, Limits> limits = Map.of();
  private final TaskClient client;
  private final Duration heartbeat;
  /** Class-style tasks whose isRecurring() is true: one unfinished task per handler and data. */
  private final Set<String> recurring = ConcurrentHashMap.newKeySet();
  /** Settings changed by name (the config file's task-types), applied as each handler registers. */
  private final Map<String, UnaryOperator<TaskType>> changes;

  /**
   * @param client what function references store their calls with
   * @param heartbeat the engine's heartbeat interval: a handler's own lease must be at least twice it
   */
  public HandlerRegistry(TaskClient client, Duration heartbeat) {
    this(client, heartbeat, Map.of());
  }

  /** @param changes changes of the settings of handlers by name, applied as each registers */
  public HandlerRegistry(TaskClient client, Duration heartbeat, Map<String, UnaryOperator<TaskType>> changes) {
    this.client = client;
    this.heartbeat = heartbeat;
    this.changes = Map.copyOf(changes);
  }

  /** Refuses changes for handlers nobody registered: a typo in a handler's name must not pass silently. */
  public void checkChangesApplied() {
    List<String> unknown = changes.keySet().stream().filter(name -> !byName.containsKey(name)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new ConfigException("settings were given for %s, but no handler has that name; the handlers here are %s"
          .formatted(unknown.size() == 1 ? "'" + unknown.getFirst() + "'" : unknown, byName.keySet().stream().sorted().toList()));
    }
  }

  @Override
  public synchronized <D> Handlers handler(TaskType declared, Class<D> dataType, TaskHandler<D> handler) {
    TaskType type = changed(declared);
    if (type.lease() != null && type.lease().compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new ConfigException("the lease of '%s' (%s) must be at least 2 x heartbeat (%s), or it expires between heartbeats"
          .formatted(type.name(), type.lease(), heartbeat));
    }
    Registered<D> entry = new Registered<>(type, dataType, handler);
    if (byName.putIfAbsent(type.name(), entry) != null) {
      throw new IllegalArgumentException("a handler named '" + type.name() + "' is already registered");
    }
    names = Set.copyOf(byName.keySet());
    Map<String, Limits> all = new HashMap<>();
    byName.forEach((name, registered) -> {
      Limits of = Limits.of(registered.type());
      if (of != null) all.put(name, of);
    });
    limits = Map.copyOf(all);
    return this;
  }

  private TaskType changed(TaskType declared) {
    UnaryOperator<TaskType> change = changes.get(declared.name());
    if (change == null) return declared;
    try {
      return change.apply(declared);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("the settings given for '%s': %s".formatted(declared.name(), e.getMessage()));
    }
  }

  /** Asks a first instance whether the task recurs, as the seeds' {@code is_recurring} class attribute says. */
  @Override
  public Handlers task(TaskType type, Supplier<? extends PartyTask> factory) {
    Handlers.super.task(type, factory);
    if (factory.get().isRecurring()) recurring.add(type.name());
    return this;
  }

  /** Whether {@code name} is a recurring class-style task; see {@link TaskFactory#prepare}. */
  public boolean recurring(String name) {
    return recurring.contains(name);
  }

  @Override
  public <A> FunctionRef<A> function(TaskType type, Class<A> argsType, TaskFunction<A> function) {
    handler(type, argsType, context -> asOutcome(function.apply(context.data())));
    return new FunctionRef<>(type.name(), client);
  }

  private static Outcome asOutcome(Object returned) {
    return switch (returned) {
      case Outcome outcome -> outcome;
      case TaskRequest next -> Outcome.then(next);
      case null -> Outcome.done();
      default -> Outcome.done(returned);
    };
  }

  /** The handler for {@code name}; throws {@link UnknownHandlerException} when there is none. */
  public Registered<?> require(String name) {
    Registered<?> entry = byName.get(name);
    if (entry == null) throw new UnknownHandlerException(name, byName.keySet());
    return entry;
  }

  /** The handler for {@code name}, if this node has one. */
  public Optional<Registered<?>> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return names;
  }

  /** The limits of every registered handler that has any, by name, for claims to enforce. */
  public Map<String, Limits> limits() {
    return limits;
  }
}
