package dev.party.store.postgres;

import dev.party.store.TaskStore;
import dev.party.testkit.PostgresSchema;
import dev.party.testkit.store.IdempotencyContract;

class PostgresIdempotencyTest extends IdempotencyContract {
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
