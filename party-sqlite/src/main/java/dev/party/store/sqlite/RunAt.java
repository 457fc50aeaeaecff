package dev.party.store.sqlite;

import dev.party.store.jdbc.EpochMicros;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A task's run time in its two columns (V011): run_at in epoch milliseconds, floored, which nodes
 * of every version read, compare and sort; run_at_us the exact time in epoch microseconds, or NULL
 * for run_at's whole millisecond (rows older nodes write). Claims compare both, so a task is never
 * taken before its microsecond, but they sort by run_at: within one millisecond, attempts,
 * creation and id decide.
 */
final class RunAt {
  private RunAt() {}

  static long millis(long micros) {
    return Math.floorDiv(micros, 1_000L);
  }

  /** Binds run_at at {@code millisIndex} and run_at_us at {@code microsIndex}. */
  static void bind(PreparedStatement statement, int millisIndex, int microsIndex, long micros) throws SQLException {
    statement.setLong(millisIndex, millis(micros));
    statement.setLong(microsIndex, micros);
  }

  /** Null when run_at is; run_at_us when set (party_task_run_at_us keeps it within run_at's millisecond). */
  static Instant read(ResultSet row) throws SQLException {
    long millis = row.getLong("run_at");
    if (row.wasNull()) return null;
    long micros = row.getLong("run_at_us");
    return row.wasNull() ? Instant.ofEpochMilli(millis) : EpochMicros.instant(micros);
  }
}
