package dev.party.store.jdbc;

import dev.party.error.TaskConflictException;
import dev.party.store.InsertOnce;
import dev.party.store.InsertedOnce;
import dev.party.task.Enqueued;
import dev.party.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link dev.party.store.TaskStore#insertOnce} for both stores, inside the insert's transaction:
 * the key's row is claimed first ({@code INSERT ... ON CONFLICT DO NOTHING}), so of two inserts
 * with one key, the second waits on the first's row lock (PostgreSQL) or the single writer
 * (SQLite), then finds the committed row and answers from it; if the first rolled back, the second
 * claims the key itself. The tasks and the key commit together, or neither does.
 */
public final class IdempotencyKeys {

  /** Binds the row's time (a store-specific type) at {@code index}. */
  @FunctionalInterface
  public interface TimeBinder {
    void bind(PreparedStatement statement, int index) throws SQLException;
  }

  /** The insert proper, on the same connection and transaction. */
  @FunctionalInterface
  public interface Insert {
    List<Enqueued> run(Connection connection) throws SQLException;
  }

  private final String claim;
  private final String select;
  private final String answer;

  /**
   * @param claim {@code INSERT (key, fingerprint, answer, created_at) VALUES (?, ?, '', ?) ON CONFLICT DO NOTHING}
   * @param select {@code SELECT fingerprint, answer WHERE key = ?}
   * @param answer {@code UPDATE SET answer = ? WHERE key = ?}
   */
  public IdempotencyKeys(String claim, String select, String answer) {
    this.claim = claim;
    this.select = select;
    this.answer = answer;
  }

  public InsertedOnce insertOnce(Connection connection, InsertOnce request, TimeBinder createdAt, Insert insert)
      throws SQLException {
    try (PreparedStatement claimed = connection.prepareStatement(claim)) {
      claimed.setString(1, request.key());
      claimed.setString(2, request.fingerprint());
      createdAt.bind(claimed, 3);
      if (claimed.executeUpdate() == 0) return replay(connection, request);
    }
    List<Enqueued> enqueued = insert.run(connection);
    try (PreparedStatement update = connection.prepareStatement(answer)) {
      update.setString(1, encode(enqueued));
      update.setString(2, request.key());
      update.executeUpdate();
    }
    return new InsertedOnce(enqueued, false);
  }

  private InsertedOnce replay(Connection connection, InsertOnce request) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(select)) {
      query.setString(1, request.key());
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          // Deleted by the cleanup between the two statements: it was past its keep time anyway.
          throw new TaskConflictException("idempotency key '%s' expired while this request was written; send it again"
              .formatted(request.key()));
        }
        if (!row.getString(1).equals(request.fingerprint())) {
          throw new TaskConflictException(("idempotency key '%s' was used before for another request; "
              + "a retry must send the same body, and a new request needs a new key").formatted(request.key()));
        }
        return new InsertedOnce(decode(row.getString(2)), true);
      }
    }
  }

  /**
   * One entry per task, comma separated: the id, with {@code ~} before it when covered and {@code
   * @} and its run time in epoch microseconds after it when the store said it, so a replayed
   * answer shows the very time the first one did.
   */
  static String encode(List<Enqueued> enqueued) {
    StringBuilder text = new StringBuilder(enqueued.size() * 44);
    for (Enqueued e : enqueued) {
      if (!text.isEmpty()) text.append(',');
      if (e.covered()) text.append('~');
      text.append(e.id().value());
      if (e.runAt() != null) text.append('@').append(EpochMicros.of(e.runAt()));
    }
    return text.toString();
  }

  static List<Enqueued> decode(String text) {
    List<Enqueued> enqueued = new ArrayList<>();
    for (String entry : text.split(",")) {
      if (entry.isEmpty()) continue;
      boolean covered = entry.startsWith("~");
      String rest = covered ? entry.substring(1) : entry;
      int at = rest.indexOf('@');
      TaskId id = TaskId.of(at < 0 ? rest : rest.substring(0, at));
      Instant runAt = at < 0 ? null : EpochMicros.instant(Long.parseLong(rest.substring(at + 1)));
      enqueued.add(new Enqueued(id, covered, runAt));
    }
    return enqueued;
  }
}
