package dev.party.store.jdbc;

import dev.party.store.ClaimedTask;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads task and log rows by column name. Stores differ only in how a time column is read
 * (epoch milliseconds in SQLite, run_at made exact by its run_at_us; {@code timestamptz} in
 * PostgreSQL), which they pass in.
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

  /** One time column of any row, read as this store keeps times. */
  public Instant time(ResultSet row, String column) throws SQLException {
    return instant.read(row, column);
  }

  public ClaimedTask claimed(ResultSet row) throws SQLException {
    return new ClaimedTask(task(row), row.getLong("lease_token"), row.getInt("crashes"));
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
        instant.read(row, "finished_at"),
        row.getString("instance_key"),
        row.getString("batch_key"),
        row.getString("singleton_key"),
        row.getString("limit_key"),
        taskId(row.getString("continues")),
        taskId(row.getString("continued_by")),
        null);
  }

  private static TaskId taskId(String value) {
    return value == null ? null : new TaskId(value);
  }

  /**
   * Reads one task as {@link #oneTask}, and when it is a step of a continuation, its last step
   * with {@code lastStepSql}: its one parameter is the task id, and it returns {@code id, state,
   * run_at} of the newest step or nothing.
   */
  public Optional<TaskView> oneTaskWithLastStep(Connection connection, String sql, String lastStepSql, TaskId id)
      throws SQLException {
    Optional<TaskView> task = oneTask(connection, sql, id);
    if (task.isEmpty() || !task.get().inContinuation()) return task;
    return Optional.of(withLastStep(connection, lastStepSql, task.get()));
  }

  /** Same as {@link #oneTaskWithLastStep} for a task already read (looked up another way). */
  public TaskView withLastStep(Connection connection, String lastStepSql, TaskView task) throws SQLException {
    if (!task.inContinuation()) return task;
    try (PreparedStatement query = connection.prepareStatement(lastStepSql)) {
      query.setString(1, task.id().value());
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) return task;
        return task.withLastStep(new TaskView.LastStep(
            new TaskId(row.getString("id")), TaskState.valueOf(row.getString("state")), instant.read(row, "run_at")));
      }
    }
  }

  /** Runs {@code sql}, whose one parameter is the task id, and reads the task row it finds. */
  public Optional<TaskView> oneTask(Connection connection, String sql, TaskId id) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, id.value());
      List<TaskView> tasks = tasks(query);
      return tasks.isEmpty() ? Optional.empty() : Optional.of(tasks.getFirst());
    }
  }

  /** Runs a prepared query and reads every task row it returns. */
  public List<TaskView> tasks(PreparedStatement query) throws SQLException {
    List<TaskView> tasks = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) tasks.add(task(rows));
    }
    return tasks;
  }

  /** Runs {@code sql}, whose one parameter is the task id, and reads the log rows it returns. */
  public List<TaskLogEntry> log(Connection connection, String sql, TaskId id) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, id.value());
      List<TaskLogEntry> entries = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) entries.add(logEntry(rows));
      }
      return entries;
    }
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
