package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.CleanupContract;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class SqliteCleanupTest extends CleanupContract {
  @TempDir Path dir;

  @Override
  protected TaskStore openEmptyStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }

  @Override
  protected List<String> archivedIds() {
    try (var connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("party.db"));
        var rows = connection.createStatement().executeQuery("SELECT id FROM party_task_archive ORDER BY id")) {
      List<String> ids = new ArrayList<>();
      while (rows.next()) ids.add(rows.getString(1));
      return ids;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
