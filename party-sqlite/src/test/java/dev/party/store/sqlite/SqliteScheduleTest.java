package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.ScheduleContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteScheduleTest extends ScheduleContract {
  @TempDir Path dir;

  @Override
  protected TaskStore openEmptyStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }

  @Override
  protected void corruptZone(String schedule) throws Exception {
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("party.db"));
        var update = connection.prepareStatement("UPDATE party_schedule SET zone = 'Mars/Olympus' WHERE name = ?")) {
      update.setString(1, schedule);
      update.executeUpdate();
    }
  }

  @Override
  protected TaskStore openSameStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }
}
