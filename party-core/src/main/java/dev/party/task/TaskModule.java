package dev.party.task;

/**
 * A set of handlers found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.party.task.TaskModule} and {@code party server} / {@code party
 * worker} register it at start.
 */
public interface TaskModule {
  void register(Handlers handlers);
}
