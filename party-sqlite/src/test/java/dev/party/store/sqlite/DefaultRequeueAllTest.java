package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.TaskStoreContract;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPI's default {@link TaskStore#requeueAll}, one {@code requeue} per task, passes the contract
 * as the stores' own one-transaction versions do: a store that does not override it stays correct.
 * SQLite serves every other method.
 */
class DefaultRequeueAllTest extends TaskStoreContract {
  @TempDir Path dir;

  @Override
  protected TaskStore openEmptyStore() {
    TaskStore sqlite = SqliteStore.open(dir.resolve("party.db"));
    InvocationHandler defaultRequeueAll = (proxy, method, args) -> {
      if (method.getName().equals("requeueAll")) return InvocationHandler.invokeDefault(proxy, method, args);
      try {
        return method.invoke(sqlite, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class},
        defaultRequeueAll);
  }
}
