package dev.party.testkit.store;

import dev.party.store.TaskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every store contract shares: a fresh, empty store per test, closed after it. A contract that
 * opens more (engines, a second store object) closes them in its own {@code @AfterEach}, which JUnit
 * runs before this one, so they are gone before the store closes.
 */
public abstract class StoreContract {
  protected TaskStore store;

  /** A fresh, empty store. */
  protected abstract TaskStore openEmptyStore() throws Exception;

  /** Called after each test closed its store, e.g. to drop a schema. Default: nothing. */
  protected void storeClosed() throws Exception {}

  @BeforeEach
  void openStoreForTest() throws Exception {
    store = openEmptyStore();
  }

  @AfterEach
  void closeStoreAfterTest() throws Exception {
    if (store != null) store.close(); // null when opening it failed
    storeClosed();
  }
}
