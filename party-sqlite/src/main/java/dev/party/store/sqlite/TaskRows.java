package dev.party.store.sqlite;

import dev.party.store.ClaimedTask;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reads rows in {@link SqliteQueries#COLUMNS} order. */
final class TaskRows {
  private TaskRows() {}

  static ClaimedTask claimed(ResultSet row) throws SQLException {
    return new ClaimedTask(task(row), row.getLong("lease_token"));
  }

  static TaskView task(ResultSet row) throws SQLException {
    return new TaskView(
        new TaskId(row.getString("id")),
        row.getString("handler"),
        row.getString("queue"),
        row.getString("data"),
        TaskState.valueOf(row.getString("state")),
        row.getInt("priority"),
        instant(row, "run_at"),
        instant(row, "created_at"),
        row.getInt("attempts"),
        row.getInt("max_attempts"),
        instant(row, "last_run_on"),
        row.getInt("progress"),
        row.getString("result"),
        row.getString("error"),
        row.getString("unique_key"),
        row.getString("lease_owner"),
        instant(row, "lease_expires_at"),
        instant(row, "finished_at"));
  }

  static TaskLogEntry logEntry(ResultSet row) throws SQLException {
    String from = row.getString("from_state");
    return new TaskLogEntry(
        instant(row, "at"),
        from == null ? null : TaskState.valueOf(from),
        TaskState.valueOf(row.getString("to_state")),
        row.getString("worker"),
        row.getString("message"));
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}
