package dev.party.store.jdbc;

import dev.party.store.InsertChain;
import dev.party.store.InsertGroup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Marks freshly inserted tasks as the steps of a chain or the members and callback of a group.
 * Each store passes its own statements; the binding is the same.
 */
public final class WorkflowRows {
  private WorkflowRows() {}

  /** {@code markStep} binds chain id, step number, whether it waits, task id. */
  public static void markChain(Connection connection, String markStep, InsertChain request) throws SQLException {
    try (PreparedStatement mark = connection.prepareStatement(markStep)) {
      for (int i = 0; i < request.steps().size(); i++) {
        mark.setString(1, request.chainId());
        mark.setInt(2, i + 1);
        mark.setBoolean(3, i > 0);
        mark.setString(4, request.steps().get(i).id().value());
        mark.addBatch();
      }
      mark.executeBatch();
    }
  }

  /** {@code markMember} binds group id, member index, task id; {@code markCallback} group id, task id. */
  public static void markGroup(Connection connection, String markMember, String markCallback, InsertGroup request)
      throws SQLException {
    try (PreparedStatement member = connection.prepareStatement(markMember);
        PreparedStatement callback = connection.prepareStatement(markCallback)) {
      for (int i = 0; i < request.members().size(); i++) {
        member.setString(1, request.groupId());
        member.setInt(2, i);
        member.setString(3, request.members().get(i).id().value());
        member.addBatch();
      }
      member.executeBatch();
      callback.setString(1, request.groupId());
      callback.setString(2, request.callback().id().value());
      callback.executeUpdate();
    }
  }
}
