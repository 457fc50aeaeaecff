package dev.party.bench;

import dev.party.store.TaskStore;

/** A store under test: a fresh, empty store per scenario, and how a worker process reaches it. */
interface BenchStore extends AutoCloseable {

  /** For the table's title, e.g. "SQLite (synchronous=FULL)". */
  String description();

  /** A new, empty store for {@code scenario}; the caller closes it. */
  TaskStore open(String scenario) throws Exception;

  /** What {@code party worker --db} takes to reach the store of {@code scenario}. */
  String dbArgument(String scenario);

  /** Bytes the store of {@code scenario} takes on disk: tasks table, its indexes and the log. */
  long storedBytes(String scenario) throws Exception;

  /** Removes every scenario's store. */
  @Override
  void close() throws Exception;
}
