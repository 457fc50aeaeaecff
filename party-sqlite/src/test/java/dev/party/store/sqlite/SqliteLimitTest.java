package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.LimitContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteLimitTest extends LimitContract {
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
