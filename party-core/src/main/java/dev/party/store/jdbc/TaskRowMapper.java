package dev.party.store.jdbc;

import dev.party.store.ClaimedTask;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Reads task and log rows by column name. Stores differ only in how a time column is read
 * (epoch milliseconds in SQLite, {@code timestamptz} in PostgreSQL), which they pass in.
 */
public final class TaskRowMapper {

  /** Reads one time column; null when the column is SQL NULL. */
  @FunctionalInterface
  public interface InstantColumn {
    Instant read(ResultSet row, String column) throws SQLException;
  }

  private final InstantColumn instant;

  public TaskRowMapper(InstantColumn instant) {
    this.instant = instant;
  }

  public ClaimedTask claimed(ResultSet row) throws SQLException {
    return new ClaimedTask(task(row), row.getLong("lease_token"));
  }

  public TaskView task(ResultSet row) throws SQLException {
    return new TaskView(
        new TaskId(row.getString("id")),
        row.getString("handler"),
        row.getString("queue"),
        row.getString("data"),
        TaskState.valueOf(row.getString("state")),
        row.getInt("priority"),
        instant.read(row, "run_at"),
        instant.read(row, "created_at"),
        row.getInt("attempts"),
        row.getInt("max_attempts"),
        instant.read(row, "last_run_on"),
        row.getInt("progress"),
        row.getString("result"),
        row.getString("error"),
        row.getString("unique_key"),
        row.getString("lease_owner"),
        instant.read(row, "lease_expires_at"),
        instant.read(row, "finished_at"));
  }

  public TaskLogEntry logEntry(ResultSet row) throws SQLException {
    return new TaskLogEntry(
        instant.read(row, "at"),
        TaskState.valueOf(row.getString("from_state")),
        TaskState.valueOf(row.getString("to_state")),
        row.getString("worker"),
        row.getString("message"));
  }
}
