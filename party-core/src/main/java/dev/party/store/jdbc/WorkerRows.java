package dev.party.store.jdbc;

import dev.party.store.WorkerView;
import dev.party.task.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the worker registry's rows; each store passes its own query and its own time columns. */
public final class WorkerRows {
  private WorkerRows() {}

  /** Running task ids by lease owner, from a query returning (lease_owner, id). */
  public static Map<String, List<TaskId>> running(Connection connection, String query) throws SQLException {
    Map<String, List<TaskId>> byOwner = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(query); ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        byOwner.computeIfAbsent(rows.getString(1), owner -> new ArrayList<>()).add(new TaskId(rows.getString(2)));
      }
    }
    return byOwner;
  }

  /** The current row as a worker; its queues and times are already read by the store. */
  public static WorkerView worker(ResultSet rows, List<String> queues, Instant startedAt, Instant lastHeartbeat,
      Instant stoppedAt, Map<String, List<TaskId>> running) throws SQLException {
    String name = rows.getString("name");
    return new WorkerView(name, rows.getString("host"), rows.getLong("pid"), queues, rows.getInt("slots"),
        rows.getString("version"), Duration.ofMillis(rows.getLong("heartbeat_ms")), startedAt, lastHeartbeat,
        stoppedAt, WorkerView.State.valueOf(rows.getString("state")), running.getOrDefault(name, List.of()));
  }
}
