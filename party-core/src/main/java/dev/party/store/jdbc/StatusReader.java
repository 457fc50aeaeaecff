package dev.party.store.jdbc;

import dev.party.store.StoreStatus;
import dev.party.task.TaskState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link StoreStatus} from three statements each store writes in its own SQL: counts by
 * state ({@code state, count}), counts by handler for one state ({@code ? = state}; {@code
 * handler, count}), and the next pending id of one handler ({@code ? = handler}; {@code id}).
 */
public record StatusReader(String countByState, String countByHandler, String nextPending) {

  public StoreStatus read(Connection connection) throws SQLException {
    Map<TaskState, Long> states = new EnumMap<>(TaskState.class);
    for (TaskState state : TaskState.values()) states.put(state, 0L);
    try (PreparedStatement query = connection.prepareStatement(countByState);
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) states.put(TaskState.valueOf(rows.getString(1)), rows.getLong(2));
    }
    List<StoreStatus.HandlerCount> pending = new ArrayList<>();
    for (StoreStatus.HandlerCount count : countByHandler(connection, TaskState.PENDING)) {
      pending.add(new StoreStatus.HandlerCount(count.handler(), count.count(), next(connection, count.handler())));
    }
    return new StoreStatus(states, pending, countByHandler(connection, TaskState.FAILED),
        countByHandler(connection, TaskState.FINISHED));
  }

  private List<StoreStatus.HandlerCount> countByHandler(Connection connection, TaskState state) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(countByHandler)) {
      query.setString(1, state.name());
      List<StoreStatus.HandlerCount> counts = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) counts.add(new StoreStatus.HandlerCount(rows.getString(1), rows.getLong(2), null));
      }
      return counts;
    }
  }

  private String next(Connection connection, String handler) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(nextPending)) {
      query.setString(1, handler);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}
