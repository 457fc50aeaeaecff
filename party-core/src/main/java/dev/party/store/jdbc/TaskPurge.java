package dev.party.store.jdbc;

import dev.party.store.Purged;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@link dev.party.store.TaskStore#purge} for both stores, inside the caller's transaction: checks
 * what stands in the way, then deletes the task's log and the task. Each store gives its statements.
 *
 * @param check one parameter, the id; answers {@code state} and {@code needed} (a chain step or
 *     group member the task after it still has to read), with the row locked where the store can
 * @param deleteLog deletes the task's log rows; one parameter, the id
 * @param deleteTask deletes the task; one parameter, the id
 */
public record TaskPurge(String check, String deleteLog, String deleteTask) {

  public Purged purge(Connection connection, TaskId id) throws SQLException {
    Purged found = check(connection, id);
    if (found != Purged.PURGED) return found;
    try (PreparedStatement log = connection.prepareStatement(deleteLog);
        PreparedStatement task = connection.prepareStatement(deleteTask)) {
      log.setString(1, id.value());
      log.executeUpdate();
      task.setString(1, id.value());
      task.executeUpdate();
    }
    return Purged.PURGED;
  }

  private Purged check(Connection connection, TaskId id) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(check)) {
      query.setString(1, id.value());
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) return Purged.NOT_FOUND;
        if (!TaskState.valueOf(row.getString("state")).isFinal()) return Purged.NOT_FINAL;
        return row.getBoolean("needed") ? Purged.NEEDED_BY_WORKFLOW : Purged.PURGED;
      }
    }
  }
}
