package dev.party.server;

import dev.party.store.TaskStore;
import dev.party.store.sqlite.SqliteStore;
import java.nio.file.Path;

class SqliteHttpApiTest extends HttpApiContract {
  @Override
  protected TaskStore openEmptyStore(Path dir) {
    return SqliteStore.open(dir.resolve("party.db"));
  }
}
