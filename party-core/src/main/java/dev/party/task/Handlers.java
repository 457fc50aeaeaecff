package dev.party.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;

/** Where handlers are registered, by name. Names map to code only through here. */
public interface Handlers {

  /** A handler whose task data binds to {@code dataType}. */
  <D> Handlers handler(TaskType type, Class<D> dataType, TaskHandler<D> handler);

  default <D> Handlers handler(String name, Class<D> dataType, TaskHandler<D> handler) {
    return handler(TaskType.of(name), dataType, handler);
  }

  /** A handler over untyped JSON data. */
  default Handlers handler(String name, TaskHandler<JsonNode> handler) {
    return handler(TaskType.of(name), JsonNode.class, handler);
  }

  /** A class-style task; {@code factory} makes a fresh instance for every attempt. */
  default Handlers task(TaskType type, Supplier<? extends PartyTask> factory) {
    return handler(type, JsonNode.class, context -> PartyTask.runInstance(factory.get(), context));
  }

  default Handlers task(String name, Supplier<? extends PartyTask> factory) {
    return task(TaskType.of(name), factory);
  }

  /** A function task; the returned reference stores calls with {@code delay} and {@code schedule}. */
  <A> FunctionRef<A> function(TaskType type, Class<A> argsType, TaskFunction<A> function);

  default <A> FunctionRef<A> function(String name, Class<A> argsType, TaskFunction<A> function) {
    return function(TaskType.of(name), argsType, function);
  }
}
