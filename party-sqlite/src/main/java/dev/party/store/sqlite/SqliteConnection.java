package dev.party.store.sqlite;

import dev.party.error.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One JDBC connection used by one thread at a time. Writers run in {@code BEGIN IMMEDIATE}
 * transactions, so two processes on one file queue on the busy timeout instead of failing late.
 */
final class SqliteConnection implements AutoCloseable {
  /** How long a writer waits for another process's transaction before failing. */
  static final int BUSY_TIMEOUT_MILLIS = 10_000;

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private SqliteConnection(Connection connection) {
    this.connection = connection;
  }

  static SqliteConnection open(Path file, SqliteStore.Durability durability) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(durability == SqliteStore.Durability.FULL
        ? SQLiteConfig.SynchronousMode.FULL
        : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setCacheSize(-32_768); // KiB: 32 MiB of page cache, so an engine step rarely reads from the OS
    try {
      return new SqliteConnection(config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()));
    } catch (SQLException e) {
      throw new StoreException("cannot open SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} in one immediate transaction; commits, or rolls back on any failure. */
  <T> T write(String operation, Work<T> work) {
    lock.lock();
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run(connection);
        statement.execute("COMMIT");
        return result;
      } catch (Throwable e) {
        // Errors too: a transaction left open would make every later write fail.
        statement.execute("ROLLBACK");
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(operation + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} outside a transaction (each statement sees the latest commit). */
  <T> T read(String operation, Work<T> work) {
    lock.lock();
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException(operation + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing SQLite failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
