package dev.party.store.postgres;

import static dev.party.store.postgres.PostgresQueries.*;

import dev.party.store.CompleteResult;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.NewTask;
import dev.party.store.jdbc.EpochMicros;
import dev.party.task.TaskId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one batch of completions: one statement per kind (finish, retry, fail, release), each
 * taking its rows as arrays and fenced by (id, lease token). Runs inside the caller's transaction.
 */
final class PostgresCompletions {

  private final Connection connection;
  private final String owner;
  private final Instant now;
  private final Set<LeaseRef> applied = new HashSet<>();
  private final List<NewTask> continuations = new ArrayList<>();
  private final List<Completion.Finish> finishes = new ArrayList<>();

  PostgresCompletions(Connection connection, String owner, Instant now) {
    this.connection = connection;
    this.owner = owner;
    this.now = now;
  }

  CompleteResult apply(List<Completion> completions) throws SQLException {
    List<Completion.Retry> retries = new ArrayList<>();
    List<Completion.Fail> failures = new ArrayList<>();
    List<Completion.Release> releases = new ArrayList<>();
    lockInIdOrder(completions);
    for (Completion completion : completions) {
      switch (completion) {
        case Completion.Finish f -> finishes.add(f);
        case Completion.Retry r -> retries.add(r);
        case Completion.Fail f -> failures.add(f);
        case Completion.Release r -> releases.add(r);
      }
    }
    finish(finishes);
    retry(retries);
    fail(failures);
    release(releases);
    List<LeaseRef> fenced = new ArrayList<>();
    for (Completion completion : completions) {
      if (!applied.contains(completion.ref())) fenced.add(completion.ref());
    }
    for (Completion.Finish f : finishes) {
      if (applied.contains(f.ref())) continuations.addAll(f.next());
    }
    return new CompleteResult(completions.size() - fenced.size(), fenced);
  }

  private void lockInIdOrder(List<Completion> completions) throws SQLException {
    var ids = text(completions.stream().map(c -> c.ref().id().value()).sorted().toArray());
    try (PreparedStatement lock = connection.prepareStatement(LOCK_RUNS);
        PreparedStatement groups = connection.prepareStatement(LOCK_GROUPS)) {
      lock.setArray(1, ids);
      lock.executeQuery().close();
      groups.setArray(1, ids);
      groups.executeQuery().close();
    }
  }

  /** Tasks that applied finishes asked to store next, for the same transaction. */
  List<NewTask> continuations() {
    return continuations;
  }

  /** Once {@link #continuations()} are stored: links each to the task it continues, both ways. */
  void linkContinuations() throws SQLException {
    List<String> prev = new ArrayList<>();
    List<String> next = new ArrayList<>();
    for (Completion.Finish f : finishes) {
      if (!applied.contains(f.ref()) || f.next().isEmpty()) continue;
      prev.add(f.ref().id().value());
      next.add(f.next().getFirst().id().value());
    }
    if (prev.isEmpty()) return;
    try (PreparedStatement link = connection.prepareStatement(LINK_CONTINUATIONS)) {
      link.setArray(1, text(prev.toArray()));
      link.setArray(2, text(next.toArray()));
      link.executeUpdate();
    }
  }

  private void finish(List<Completion.Finish> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement statement = connection.prepareStatement(FINISH_RUNS)) {
      PostgresStore.setNow(statement, 1, now);
      statement.setArray(2, ids(rows));
      statement.setArray(3, tokens(rows));
      statement.setArray(4, text(rows.stream().map(Completion.Finish::result).toArray()));
      statement.setArray(5, text(rows.stream()
          .map(f -> f.next().isEmpty() ? null : "continued by " + f.next().getFirst().id()).toArray()));
      logApplied(statement, 6);
    }
  }

  private void retry(List<Completion.Retry> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement statement = connection.prepareStatement(RETRY_RUNS)) {
      PostgresStore.setNow(statement, 1, now);
      statement.setArray(2, ids(rows));
      statement.setArray(3, tokens(rows));
      statement.setArray(4, connection.createArrayOf("int8", rows.stream()
          .map(r -> r.runAt() == null ? null : EpochMicros.of(r.runAt())).toArray()));
      statement.setArray(5, connection.createArrayOf("int8", rows.stream()
          .map(r -> r.delay() == null ? null : EpochMicros.of(r.delay())).toArray()));
      statement.setArray(6, text(rows.stream().map(Completion.Retry::error).toArray()));
      logApplied(statement, 7);
    }
  }

  private void fail(List<Completion.Fail> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement statement = connection.prepareStatement(FAIL_RUNS)) {
      PostgresStore.setNow(statement, 1, now);
      statement.setArray(2, ids(rows));
      statement.setArray(3, tokens(rows));
      statement.setArray(4, text(rows.stream().map(Completion.Fail::error).toArray()));
      logApplied(statement, 5);
    }
  }

  private void release(List<Completion.Release> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement statement = connection.prepareStatement(RELEASE_RUNS)) {
      statement.setArray(1, ids(rows));
      statement.setArray(2, tokens(rows));
      statement.setArray(3, text(rows.stream().map(Completion.Release::reason).toArray()));
      logApplied(statement, 4);
    }
    // Other nodes may take the released tasks at once.
    try (PreparedStatement notify = connection.prepareStatement(NOTIFY)) {
      notify.execute();
    }
  }

  /** Binds the log tail's parameters (now, worker) and collects the ids that applied. */
  private void logApplied(PreparedStatement statement, int index) throws SQLException {
    PostgresStore.setNow(statement, index, now);
    statement.setString(index + 1, owner);
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) applied.add(new LeaseRef(new TaskId(rows.getString(1)), rows.getLong(2)));
    }
  }

  private Array ids(List<? extends Completion> rows) throws SQLException {
    return text(rows.stream().map(c -> c.ref().id().value()).toArray());
  }

  private Array tokens(List<? extends Completion> rows) throws SQLException {
    return connection.createArrayOf("int4", rows.stream().map(c -> (int) c.ref().token()).toArray());
  }

  private Array text(Object[] values) throws SQLException {
    return connection.createArrayOf("text", values);
  }
}
