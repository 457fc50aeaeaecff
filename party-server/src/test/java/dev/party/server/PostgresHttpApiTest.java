package dev.party.server;

import dev.party.store.TaskStore;
import dev.party.store.postgres.PostgresStore;
import dev.party.testkit.PostgresSchema;
import java.nio.file.Path;

class PostgresHttpApiTest extends HttpApiContract {
  private PostgresSchema database;

  @Override
  protected TaskStore openEmptyStore(Path dir) throws Exception {
    database = PostgresSchema.create();
    return PostgresStore.open(database.url());
  }

  @Override
  protected void storeClosed() throws Exception {
    database.close();
  }
}
