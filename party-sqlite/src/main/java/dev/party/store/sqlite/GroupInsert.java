package dev.party.store.sqlite;

import dev.party.error.PartyException;
import dev.party.store.InsertTasks;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for inserts: callers that arrive while a commit is under way are written together in
 * the next transaction, so many single-task enqueues share one fsync. There is no timer and no
 * thread: whichever waiting caller takes the lock next writes every request queued so far, each
 * under its own savepoint, so one refused request (a held unique key, a full capacity) is rolled
 * back alone and the others commit. Every caller returns only after the commit that holds its tasks.
 */
final class GroupInsert {
  @FunctionalInterface
  interface Writer {
    void insert(Connection connection, InsertTasks request) throws SQLException;
  }

  private static final class Pending {
    final InsertTasks request;
    volatile boolean done;
    volatile Throwable error;

    Pending(InsertTasks request) {
      this.request = request;
    }
  }

  private final SqliteConnection connection;
  private final Writer writer;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock leader = new ReentrantLock();

  GroupInsert(SqliteConnection connection, Writer writer) {
    this.connection = connection;
    this.writer = writer;
  }

  /** Returns once {@code request} is committed; throws what refused it, having stored none of it. */
  void insert(InsertTasks request) {
    Pending mine = new Pending(request);
    queue.add(mine);
    leader.lock();
    try {
      if (!mine.done) writeQueued();
    } finally {
      leader.unlock();
    }
    switch (mine.error) {
      case null -> { }
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(mine.error);
    }
  }

  private void writeQueued() {
    List<Pending> batch = new ArrayList<>();
    for (Pending next; (next = queue.poll()) != null; ) batch.add(next);
    try {
      if (batch.size() == 1) {
        Pending only = batch.getFirst();
        connection.write("insert", c -> {
          writer.insert(c, only.request);
          return null;
        });
      } else {
        connection.write("insert", c -> {
          for (Pending pending : batch) writeAlone(c, pending);
          return null;
        });
      }
    } catch (Throwable e) {
      // The transaction failed as a whole (an Error too, such as running out of memory mid-batch):
      // nothing of the batch is stored, and every caller in it must hear so.
      for (Pending pending : batch) if (pending.error == null) pending.error = e;
    } finally {
      for (Pending pending : batch) pending.done = true;
    }
  }

  private void writeAlone(Connection c, Pending pending) throws SQLException {
    try (Statement savepoint = c.createStatement()) {
      savepoint.execute("SAVEPOINT one_request");
      try {
        writer.insert(c, pending.request);
      } catch (PartyException e) {
        savepoint.execute("ROLLBACK TO one_request");
        pending.error = e;
      }
      savepoint.execute("RELEASE one_request");
    }
  }
}
