package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.WorkflowContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteWorkflowTest extends WorkflowContract {
  @TempDir Path dir;

  @Override
  protected TaskStore openEmptyStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }

  @Override
  protected TaskStore openSameStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }
}
