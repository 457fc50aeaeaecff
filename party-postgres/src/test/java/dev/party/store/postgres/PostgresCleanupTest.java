package dev.party.store.postgres;

import dev.party.store.TaskStore;
import dev.party.testkit.PostgresSchema;
import dev.party.testkit.store.CleanupContract;
import java.util.ArrayList;
import java.util.List;

class PostgresCleanupTest extends CleanupContract {
  private PostgresSchema database;

  @Override
  protected TaskStore openEmptyStore() throws Exception {
    database = PostgresSchema.create();
    return PostgresStore.open(database.url());
  }

  @Override
  protected List<String> archivedIds() {
    try (var connection = database.connect();
        var rows = connection.createStatement().executeQuery("SELECT id FROM party_task_archive ORDER BY id")) {
      List<String> ids = new ArrayList<>();
      while (rows.next()) ids.add(rows.getString(1));
      return ids;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  protected void storeClosed() throws Exception {
    database.close();
  }
}
