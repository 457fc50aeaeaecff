package dev.party.store.postgres;

import static dev.party.store.postgres.PostgresQueries.LOCK_WORKER_NAME;
import static dev.party.store.postgres.PostgresQueries.WORKER_NAME_HOLDER;

import dev.party.store.WorkerNameLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker name held as a session advisory lock on a connection of its own. The database frees it
 * when the process dies, and also when only the connection drops; {@link #stillHeld()} notices
 * that, and takes the name back unless another process took it meanwhile. Its calls time out (see
 * {@link PostgresStore#withCallTimeout}): the engine asks on its heartbeat thread.
 */
final class AdvisoryNameLock implements WorkerNameLock {
  private static final Logger log = LoggerFactory.getLogger(AdvisoryNameLock.class);
  static final String APPLICATION_NAME = "party-name-lock";

  private final String jdbcUrl;
  private final String workerId;
  private final Properties properties;
  private final Duration callTimeout;
  private Connection connection;
  /** The backend of the session that held the lock last: it may outlive its dropped connection a while. */
  private int backend;

  private AdvisoryNameLock(String jdbcUrl, String workerId, Properties properties, Duration callTimeout) {
    this.jdbcUrl = jdbcUrl;
    this.workerId = workerId;
    this.properties = properties;
    this.callTimeout = callTimeout;
  }

  static Optional<AdvisoryNameLock> tryAcquire(String jdbcUrl, String workerId, Properties connectionProperties,
      Duration callTimeout) throws SQLException {
    Properties properties = new Properties();
    properties.putAll(connectionProperties);
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    AdvisoryNameLock lock = new AdvisoryNameLock(jdbcUrl, workerId, properties, callTimeout);
    return lock.take() ? Optional.of(lock) : Optional.empty();
  }

  /** Takes the lock on a new connection; false (the connection closed) when another session has it. */
  private boolean take() throws SQLException {
    Connection candidate = DriverManager.getConnection(jdbcUrl, properties);
    try {
      candidate.setNetworkTimeout(Runnable::run, (int) callTimeout.toMillis());
      try (PreparedStatement lock = candidate.prepareStatement(LOCK_WORKER_NAME)) {
        lock.setString(1, workerId);
        try (ResultSet rows = lock.executeQuery()) {
          if (rows.next() && rows.getBoolean(1)) {
            connection = candidate;
            backend = candidate.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            return true;
          }
        }
      }
      if (holder(candidate) == backend && backend != 0) {
        // This worker's own session from before the drop: the database ends it once it sees the
        // connection closed. Nobody else can have the name meanwhile.
        log.info("worker name {} is still held by this worker's dropped session (backend {}); taking it again later",
            workerId, backend);
        candidate.close();
        return true;
      }
    } catch (SQLException | RuntimeException e) {
      candidate.close();
      throw e;
    }
    candidate.close();
    return false;
  }

  private int holder(Connection candidate) throws SQLException {
    try (PreparedStatement holder = candidate.prepareStatement(WORKER_NAME_HOLDER)) {
      holder.setString(1, workerId);
      try (ResultSet rows = holder.executeQuery()) {
        return rows.next() ? rows.getInt(1) : 0;
      }
    }
  }

  @Override
  public synchronized boolean stillHeld() {
    if (connection != null) {
      try (Statement ping = connection.createStatement()) {
        ping.execute("SELECT 1");
        return true;
      } catch (SQLException lost) {
        closeQuietly();
      }
    }
    try {
      boolean held = take();
      if (held && connection != null) log.warn("the connection holding worker name {} dropped; the name was taken again", workerId);
      if (!held) log.error("worker name {} is now held by another process", workerId);
      return held;
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
    if (connection == null) return;
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing a broken connection
    }
    connection = null;
  }
}
