package dev.party.task;

/**
 * The function style of handler: a typed function of its arguments. Returning a {@link
 * TaskRequest} makes it the continuation (stored with this task's completion); returning an {@link
 * Outcome} is taken as is; any other value is stored as the result.
 */
@FunctionalInterface
public interface TaskFunction<A> {
  Object apply(A args) throws Exception;
}
