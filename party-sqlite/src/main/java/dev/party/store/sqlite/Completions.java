package dev.party.store.sqlite;

import static dev.party.store.sqlite.SqliteQueries.*;

import dev.party.store.CompleteResult;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.NewTask;
import dev.party.store.jdbc.EpochMicros;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Applies one batch of completions inside one transaction; each is fenced by its lease token. */
final class Completions {

  @FunctionalInterface
  interface Inserter {
    void insert(Connection connection, List<NewTask> tasks, long now) throws SQLException;
  }

  private final Connection connection;
  private final String owner;
  private final long now;

  Completions(Connection connection, String owner, long now) {
    this.connection = connection;
    this.owner = owner;
    this.now = now;
  }

  CompleteResult apply(List<Completion> completions, Inserter inserter) throws SQLException {
    List<LeaseRef> fenced = new ArrayList<>();
    List<NewTask> next = new ArrayList<>();
    List<TaskId[]> links = new ArrayList<>();
    try (PreparedStatement finish = connection.prepareStatement(FINISH_RUN);
        PreparedStatement retry = connection.prepareStatement(RETRY_RUN);
        PreparedStatement fail = connection.prepareStatement(FAIL_RUN);
        PreparedStatement release = connection.prepareStatement(RELEASE_RUN);
        PreparedStatement log = connection.prepareStatement(INSERT_LOG)) {
      for (Completion completion : completions) {
        boolean applied = switch (completion) {
          case Completion.Finish f -> {
            finish.setString(1, f.result());
            finish.setLong(2, now);
            boolean done = fenced(finish, 3, f.ref());
            if (done) next.addAll(f.next());
            if (done && !f.next().isEmpty()) links.add(new TaskId[] {f.ref().id(), f.next().getFirst().id()});
            yield logged(log, done, f.ref(), TaskState.FINISHED, f.next().isEmpty() ? null
                : "continued by " + f.next().getFirst().id());
          }
          case Completion.Retry r -> {
            long runAt = r.runAt() != null ? EpochMicros.of(r.runAt())
                : Math.addExact(SqliteStore.micros(now), EpochMicros.of(r.delay()));
            RunAt.bind(retry, 1, 2, runAt);
            retry.setString(3, r.error());
            yield logged(log, fenced(retry, 4, r.ref()), r.ref(), TaskState.PENDING,
                "retry at " + EpochMicros.instant(runAt) + " after: " + firstLine(r.error()));
          }
          case Completion.Fail f -> {
            fail.setString(1, f.error());
            fail.setLong(2, now);
            yield logged(log, fenced(fail, 3, f.ref()), f.ref(), TaskState.FAILED, firstLine(f.error()));
          }
          case Completion.Release r ->
              logged(log, fenced(release, 1, r.ref()), r.ref(), TaskState.PENDING, r.reason());
        };
        if (!applied) fenced.add(completion.ref());
      }
      log.executeBatch();
    }
    if (!next.isEmpty()) inserter.insert(connection, next, now);
    link(links);
    return new CompleteResult(completions.size() - fenced.size(), fenced);
  }

  /**
   * Links each finished task and its continuation both ways. A continuation that a waiting task
   * covered (by its batch key) was not stored: nothing is linked then, that task is no step of this work.
   */
  private void link(List<TaskId[]> links) throws SQLException {
    if (links.isEmpty()) return;
    try (PreparedStatement continuation = connection.prepareStatement(LINK_CONTINUATION);
        PreparedStatement continued = connection.prepareStatement(LINK_CONTINUED)) {
      for (TaskId[] link : links) {
        continuation.setString(1, link[0].value());
        continuation.setString(2, link[1].value());
        if (continuation.executeUpdate() == 0) continue;
        continued.setString(1, link[0].value());
        continued.setString(2, link[1].value());
        continued.executeUpdate();
      }
    }
  }

  /** Sets the id and token after the statement's own parameters and runs it; true when it applied. */
  private static boolean fenced(PreparedStatement statement, int index, LeaseRef ref) throws SQLException {
    statement.setString(index, ref.id().value());
    statement.setLong(index + 1, ref.token());
    return statement.executeUpdate() == 1;
  }

  private boolean logged(PreparedStatement log, boolean applied, LeaseRef ref, TaskState to, String message)
      throws SQLException {
    if (applied) SqliteStore.addLog(log, ref.id(), now, TaskState.RUNNING, to, owner, message);
    return applied;
  }

  static String firstLine(String text) {
    if (text == null) return null;
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }
}
