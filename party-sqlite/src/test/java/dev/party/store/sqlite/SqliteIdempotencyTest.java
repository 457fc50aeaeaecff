package dev.party.store.sqlite;

import dev.party.store.TaskStore;
import dev.party.testkit.store.IdempotencyContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteIdempotencyTest extends IdempotencyContract {
  @TempDir Path dir;

  @Override
  protected TaskStore openEmptyStore() {
    return SqliteStore.open(dir.resolve("party.db"));
  }
}
