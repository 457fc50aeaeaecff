package dev.party.store.postgres;

import dev.party.store.TaskStore;
import dev.party.testkit.store.TaskStoreContract;

class PostgresTaskStoreTest extends TaskStoreContract {
  private TestDatabase database;

  @Override
  protected TaskStore openEmptyStore() throws Exception {
    database = TestDatabase.create();
    return PostgresStore.open(database.url());
  }

  @Override
  protected void storeClosed() throws Exception {
    database.close();
  }
}
