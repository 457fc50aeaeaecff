package dev.party.store.postgres;

import dev.party.store.TaskStore;
import dev.party.testkit.PostgresSchema;
import dev.party.testkit.store.CrashIsolationContract;

class PostgresCrashIsolationTest extends CrashIsolationContract {
  private PostgresSchema database;

  @Override
  protected TaskStore openEmptyStore() throws Exception {
    database = PostgresSchema.create();
    return PostgresStore.open(database.url());
  }

  @Override
  protected void storeClosed() throws Exception {
    database.close();
  }
}
