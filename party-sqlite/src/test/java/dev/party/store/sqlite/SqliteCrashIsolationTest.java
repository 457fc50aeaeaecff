package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.CrashIsolationContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteCrashIsolationTest extends CrashIsolationContract {
  @TempDir Path dir;

  @Override
  protected TaskStore openEmptyStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }
}
