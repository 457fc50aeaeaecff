package dev.party.task;

import java.time.Duration;
import java.time.Instant;

/** A registered function task; {@code delay} and {@code schedule} store a call of it. */
public final class FunctionRef<A> {
  private final String name;
  private final TaskClient client;

  public FunctionRef(String name, TaskClient client) {
    this.name = name;
    this.client = client;
  }

  public String name() {
    return name;
  }

  /** The request that {@link #delay} would store, for chaining, priorities or queues. */
  public TaskRequest request(A args) {
    return TaskRequest.of(name, args);
  }

  /** Stores a call due now. */
  public TaskId delay(A args) {
    return client.enqueue(request(args));
  }

  /** Stores a call due at {@code when}. */
  public TaskId schedule(Instant when, A args) {
    return client.enqueue(request(args).runAt(when));
  }

  /** Stores a call due after {@code delay}. */
  public TaskId schedule(Duration delay, A args) {
    return client.enqueue(request(args).runIn(delay));
  }
}
