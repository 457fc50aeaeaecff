package dev.party.store.jdbc;

import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.ScheduleView;
import dev.party.store.NewSchedule;
import dev.party.store.ScheduleTwin;
import dev.party.task.SingletonPolicy;
import dev.party.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code party_schedule} rows by column name; stores pass in how they read a time. */
public final class ScheduleRowMapper {
  /** The columns every schedule query selects. */
  public static final String COLUMNS = """
      name, handler, queue, data, priority, max_attempts, kind, spec, zone, misfire, overlap,
      singleton_key, singleton_policy, paused,
      next_run_at, last_run_on, last_task_id, created_at""";

  private final TaskRowMapper.InstantColumn instant;

  public ScheduleRowMapper(TaskRowMapper.InstantColumn instant) {
    this.instant = instant;
  }

  public ScheduleView schedule(ResultSet row) throws SQLException {
    String lastTask = row.getString("last_task_id");
    String policy = row.getString("singleton_policy");
    return new ScheduleView(
        row.getString("name"),
        row.getString("handler"),
        row.getString("queue"),
        row.getString("data"),
        row.getInt("priority"),
        row.getInt("max_attempts"),
        Recurrence.of(row.getString("kind"), row.getString("spec"), row.getString("zone")),
        Misfire.valueOf(row.getString("misfire")),
        Overlap.valueOf(row.getString("overlap")),
        row.getString("singleton_key"),
        policy == null ? null : SingletonPolicy.valueOf(policy),
        row.getBoolean("paused"),
        instant.read(row, "next_run_at"),
        instant.read(row, "last_run_on"),
        lastTask == null ? null : new TaskId(lastTask),
        instant.read(row, "created_at"));
  }

  /**
   * Binds a schedule's definition columns, handler to singleton_policy in {@link #COLUMNS}' order,
   * from {@code from} on; returns the next index. Both stores write them the same way.
   */
  public int bindDefinition(PreparedStatement statement, int from, NewSchedule schedule) throws SQLException {
    int i = from;
    statement.setString(i++, schedule.handler());
    statement.setString(i++, schedule.queue());
    statement.setString(i++, schedule.data());
    statement.setInt(i++, schedule.priority());
    statement.setInt(i++, schedule.maxAttempts());
    statement.setString(i++, schedule.recurrence().kind());
    statement.setString(i++, schedule.recurrence().spec());
    statement.setString(i++, schedule.recurrence().zone().getId());
    statement.setString(i++, schedule.misfire().name());
    statement.setString(i++, schedule.overlap().name());
    statement.setString(i++, schedule.singletonKey());
    statement.setString(i++, schedule.singletonPolicy() == null ? null : schedule.singletonPolicy().name());
    return i;
  }

  /** Runs {@code sql} with the given string parameters and reads every row. */
  public List<ScheduleView> all(Connection connection, String sql, String... parameters) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) query.setString(i + 1, parameters[i]);
      try (ResultSet rows = query.executeQuery()) {
        List<ScheduleView> schedules = new ArrayList<>();
        while (rows.next()) schedules.add(schedule(rows));
        return schedules;
      }
    }
  }

  /**
   * What already stores {@code schedule}'s task (handler and data), the seeds' one recurring task
   * per handler and data: a schedule of another name, or an unfinished recurring class-style task.
   * {@code schedulesSql} selects the schedules of one handler ({@code ? = handler}); {@code taskSql}
   * the id of the unfinished task holding a unique key ({@code ? = key}). The caller holds what
   * keeps two schedules from racing.
   */
  public Optional<ScheduleTwin> twin(Connection connection, String schedulesSql, String taskSql, NewSchedule schedule)
      throws SQLException {
    for (ScheduleView other : all(connection, schedulesSql, schedule.handler())) {
      if (!other.name().equals(schedule.name()) && schedule.sameTask(other)) {
        return Optional.of(ScheduleTwin.schedule(other.name()));
      }
    }
    try (PreparedStatement query = connection.prepareStatement(taskSql)) {
      query.setString(1, schedule.recurringKey());
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? Optional.of(ScheduleTwin.task(new TaskId(row.getString(1)))) : Optional.empty();
      }
    }
  }

  public Optional<ScheduleView> one(Connection connection, String sql, String name) throws SQLException {
    List<ScheduleView> found = all(connection, sql, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }
}
