package dev.party.store.postgres;

import static dev.party.store.postgres.PostgresQueries.LOCK_WORKER_NAME;

import dev.party.store.WorkerNameLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker name held as a session advisory lock on a connection of its own. The database frees it
 * when the process dies, and also when only the connection drops; {@link #stillHeld()} notices
 * that, and takes the name back unless another process took it meanwhile.
 */
final class AdvisoryNameLock implements WorkerNameLock {
  private static final Logger log = LoggerFactory.getLogger(AdvisoryNameLock.class);
  static final String APPLICATION_NAME = "party-name-lock";

  private final String jdbcUrl;
  private final String workerId;
  private Connection connection;

  private AdvisoryNameLock(String jdbcUrl, String workerId, Connection connection) {
    this.jdbcUrl = jdbcUrl;
    this.workerId = workerId;
    this.connection = connection;
  }

  static Optional<AdvisoryNameLock> tryAcquire(String jdbcUrl, String workerId) throws SQLException {
    return take(jdbcUrl, workerId).map(connection -> new AdvisoryNameLock(jdbcUrl, workerId, connection));
  }

  /** A connection holding the lock, or empty (the connection closed) when another session has it. */
  private static Optional<Connection> take(String jdbcUrl, String workerId) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    Connection connection = DriverManager.getConnection(jdbcUrl, properties);
    try (PreparedStatement lock = connection.prepareStatement(LOCK_WORKER_NAME)) {
      lock.setString(1, workerId);
      try (ResultSet rows = lock.executeQuery()) {
        if (rows.next() && rows.getBoolean(1)) return Optional.of(connection);
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    connection.close();
    return Optional.empty();
  }

  @Override
  public synchronized boolean stillHeld() {
    try (Statement ping = connection.createStatement()) {
      ping.execute("SELECT 1");
      return true;
    } catch (SQLException lost) {
      closeQuietly();
    }
    try {
      Optional<Connection> again = take(jdbcUrl, workerId);
      if (again.isPresent()) {
        connection = again.get();
        log.warn("the connection holding worker name {} dropped; the name was taken again", workerId);
        return true;
      }
      log.error("worker name {} is now held by another process", workerId);
      return false;
    } catch (SQLException unreachable) {
      // The database is unreachable: nobody can use the name now, and the store's own calls fail
      // anyway. Answer again on the next heartbeat.
      return true;
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing a broken connection
    }
  }
}
