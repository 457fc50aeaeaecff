package dev.party.store.postgres;

import dev.party.store.TaskStore;
import dev.party.testkit.PostgresSchema;
import dev.party.testkit.store.ScheduleContract;

class PostgresScheduleTest extends ScheduleContract {
  private PostgresSchema database;

  @Override
  protected TaskStore openEmptyStore() throws Exception {
    database = PostgresSchema.create();
    return PostgresStore.open(database.url());
  }

  @Override
  protected void corruptZone(String schedule) throws Exception {
    try (var connection = database.connect();
        var update = connection.prepareStatement("UPDATE party_schedule SET zone = 'Mars/Olympus' WHERE name = ?")) {
      update.setString(1, schedule);
      update.executeUpdate();
    }
  }

  @Override
  protected TaskStore openSameStore() {
    return PostgresStore.open(database.url());
  }

  @Override
  protected void storeClosed() throws Exception {
    database.close();
  }
}
