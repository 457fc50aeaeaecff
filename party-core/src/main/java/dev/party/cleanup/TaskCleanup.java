package dev.party.cleanup;

import dev.party.CleanupConfig;
import dev.party.PartyClock;
import dev.party.store.ArchivedTask;
import dev.party.store.ExpiredQuery;
import dev.party.store.ExpiredTask;
import dev.party.store.TaskStore;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeds' TaskCleanup: removes FINISHED, FAILED and CANCELLED tasks past their retention, in
 * batches. With dump files, each batch is appended to them and forced to disk before its rows are
 * deleted, so a crash may leave a task both dumped and stored (dumped again by the next run: a
 * duplicate line) but never loses one. Without, each batch moves to the archive table in one
 * transaction. Each run is recorded in the store, for every node's status map.
 */
public final class TaskCleanup {
  /** The built-in handler's name, and its schedule's: the seeds' {@code TaskCleanup}. */
  public static final String NAME = "TaskCleanup";

  private static final Logger log = LoggerFactory.getLogger(TaskCleanup.class);

  private final TaskStore store;
  private final CleanupConfig config;
  private final PartyClock clock;
  private final Supplier<Map<String, Duration>> retentions;
  private final DumpFile completedDump;
  private final DumpFile failedDump;

  /**
   * @param retentions the handlers whose type sets a retention of its own, with it; the others
   *     keep the config's default
   */
  public TaskCleanup(TaskStore store, CleanupConfig config, PartyClock clock,
      Supplier<Map<String, Duration>> retentions) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.retentions = retentions;
    this.completedDump = config.dumps() ? new DumpFile(config.completedDump()) : null;
    this.failedDump = !config.dumps() ? null
        : config.failedDump().toAbsolutePath().equals(completedDump.path()) ? completedDump
        : new DumpFile(config.failedDump());
  }

  /** One whole run on the calling thread; runs on one node do not overlap. */
  public synchronized CleanupResult run() {
    Instant now = clock.instant();
    Map<String, Duration> own = new LinkedHashMap<>(retentions.get());
    Counts counts = new Counts();
    own.forEach((handler, retention) ->
        sweep(new ExpiredQuery(handler, null, now.minus(retention), config.batchSize()), counts));
    sweep(new ExpiredQuery(null, own.keySet(), now.minus(config.retention()), config.batchSize()), counts);
    Instant ended = clock.instant();
    store.recordCleanup(ended, counts.completed, counts.failed);
    if (counts.completed + counts.failed > 0) {
      log.info("cleanup removed {} finished and {} failed or cancelled tasks ({})", counts.completed, counts.failed,
          config.dumps() ? "dumped" : "archived");
    }
    return new CleanupResult(counts.completed, counts.failed, counts.deleted, ended);
  }

  private static final class Counts {
    long completed;
    long failed;
    long deleted;
  }

  private void sweep(ExpiredQuery query, Counts counts) {
    while (true) {
      List<ExpiredTask> batch = store.expired(query);
      if (batch.isEmpty()) return;
      long completed = batch.stream().filter(e -> e.task().state() == TaskState.FINISHED).count();
      int deleted = config.dumps() ? dumpAndDelete(batch) : archive(batch);
      counts.completed += completed;
      counts.failed += batch.size() - completed;
      counts.deleted += deleted;
      // Nothing deleted: every task of the batch left its final state meanwhile, or the store
      // refuses; either way the same batch would come back, so stop here.
      if (deleted == 0 || batch.size() < query.limit()) return;
    }
  }

  private int dumpAndDelete(List<ExpiredTask> batch) {
    List<String> completed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (ExpiredTask expired : batch) {
      (expired.task().state() == TaskState.FINISHED ? completed : failed).add(TaskJson.line(expired));
    }
    completedDump.append(completed);
    failedDump.append(failed);
    List<TaskId> ids = batch.stream().map(e -> e.task().id()).toList();
    return store.deleteFinal(ids);
  }

  private int archive(List<ExpiredTask> batch) {
    List<ArchivedTask> archived = batch.stream()
        .map(e -> new ArchivedTask(e.task().id(), e.task().handler(), e.task().state(), e.task().finishedAt(),
            TaskJson.line(e)))
        .toList();
    return store.archive(archived, clock.pinned());
  }
}
