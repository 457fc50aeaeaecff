package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.QueuePauseContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteQueuePauseTest extends QueuePauseContract {
  @TempDir Path dir;

  @Override
  protected TaskStore openEmptyStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }
}
