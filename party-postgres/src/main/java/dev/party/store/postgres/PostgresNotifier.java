package dev.party.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on its own connection (outside the pool) and calls back on every NOTIFY, so an idle
 * engine starts a newly stored task within milliseconds; polling stays as the fallback. When the
 * connection breaks it reconnects with backoff, and calls back once after reconnecting in case a
 * notification was missed meanwhile.
 */
final class PostgresNotifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresNotifier.class);
  private static final int WAIT_MILLIS = 500;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Duration PING_AFTER = Duration.ofSeconds(30);

  private final PostgresOptions options;
  private final Runnable onNotify;
  private final RandomGenerator jitter = RandomGenerator.getDefault();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;

  PostgresNotifier(PostgresOptions options, Runnable onNotify) {
    this.options = options;
    this.onNotify = onNotify;
    this.thread = Thread.ofPlatform().name("party-listen").daemon(true).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  private void loop() {
    Duration backoff = Duration.ofMillis(100);
    boolean reconnecting = false;
    while (!closed) {
      try (Connection listening = DriverManager.getConnection(options.jdbcUrl(), PostgresStore.driverProperties(options))) {
        connection = listening;
        try (Statement statement = listening.createStatement()) {
          statement.execute("LISTEN " + PostgresQueries.CHANNEL);
        }
        if (reconnecting) log.info("listening for new tasks again");
        // A notification sent before LISTEN took effect (at start, or while reconnecting) was missed.
        onNotify.run();
        backoff = Duration.ofMillis(100);
        PGConnection pg = listening.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
          if (notifications != null && notifications.length > 0) {
            onNotify.run();
            quietSince = System.nanoTime();
          } else if (System.nanoTime() - quietSince > PING_AFTER.toNanos()) {
            // Waiting for notifications sends nothing: only a ping notices a connection that a
            // NAT or a failover dropped without a word.
            try (Statement ping = listening.createStatement()) {
              ping.execute("SELECT 1");
            }
            quietSince = System.nanoTime();
          }
        }
      } catch (SQLException e) {
        if (closed) return;
        reconnecting = true;
        log.warn("LISTEN connection lost ({}); reconnecting in {} ms", e.getMessage(), backoff.toMillis());
        try {
          // With jitter, so that many workers do not reconnect in step after a database restart.
          TimeUnit.MILLISECONDS.sleep(backoff.toMillis() / 2 + jitter.nextLong(backoff.toMillis() / 2 + 1));
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.interrupt();
    thread.join(Duration.ofSeconds(5));
    Connection current = connection;
    if (thread.isAlive() && current != null) {
      try {
        current.close();
      } catch (SQLException ignored) {
        // closing to unblock the listener; it is going away anyway
      }
      thread.join(Duration.ofSeconds(5));
    }
  }
}
