package dev.party.cleanup;

import dev.party.CleanupConfig;
import dev.party.PartyClock;
import dev.party.store.ArchivedTask;
import dev.party.store.ExpiredQuery;
import dev.party.store.ExpiredTask;
import dev.party.store.InsertOnce;
import dev.party.store.TaskStore;
import dev.party.task.TaskId;
import dev.party.task.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 *
 * <p>A dump file that cannot be written (its folder cannot be made, a folder stands in its place,
 * the disk refuses) does not fail the run: as the seeds do with an invalid dump path, its tasks go
 * to the archive table instead, with one warning per run naming the file; the next run tries the
 * file again.
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

  /**
   * One whole run on the calling thread, logging what it removed and a WARN per dump file it could
   * not write: the scheduled run's. Runs on one node do not overlap.
   */
  public CleanupResult run() {
    CleanupResult result = runUnlogged();
    result.unusableDumps().forEach(log::warn);
    if (result.completed() + result.failed() > 0) {
      log.info("cleanup removed {} finished and {} failed or cancelled tasks ({})", result.completed(), result.failed(),
          result.where(config.dumps()));
    }
    return result;
  }

  /**
   * As {@link #run()}, logging nothing: for a caller that reports the result itself ({@code party
   * cleanup} prints it), so nothing is said twice.
   */
  public synchronized CleanupResult runUnlogged() {
    Instant now = clock.instant();
    Map<String, Duration> own = new LinkedHashMap<>(retentions.get());
    Counts counts = new Counts();
    Map<Path, String> unusable = new LinkedHashMap<>();
    own.forEach((handler, retention) ->
        sweep(new ExpiredQuery(handler, null, now.minus(retention), config.batchSize()), counts, unusable));
    sweep(new ExpiredQuery(null, own.keySet(), now.minus(config.retention()), config.batchSize()), counts, unusable);
    // A retried POST /tasks is safe for as long as its key is kept.
    store.deleteIdempotencyKeys(now.minus(InsertOnce.KEPT));
    Instant ended = clock.instant();
    store.recordCleanup(ended, counts.completed, counts.failed);
    return new CleanupResult(counts.completed, counts.failed, counts.deleted, counts.archived, ended,
        List.copyOf(unusable.values()));
  }

  private static final class Counts {
    long completed;
    long failed;
    long deleted;
    long archived;
  }

  private void sweep(ExpiredQuery query, Counts counts, Map<Path, String> unusable) {
    while (true) {
      List<ExpiredTask> batch = store.expired(query);
      if (batch.isEmpty()) return;
      long completed = batch.stream().filter(e -> e.task().state() == TaskState.FINISHED).count();
      int deleted = config.dumps() ? dumpOrArchive(batch, unusable, counts) : archive(batch, counts);
      counts.completed += completed;
      counts.failed += batch.size() - completed;
      counts.deleted += deleted;
      // Nothing deleted: every task of the batch left its final state meanwhile, or the store
      // refuses; either way the same batch would come back, so stop here.
      if (deleted == 0 || batch.size() < query.limit()) return;
    }
  }

  private int dumpOrArchive(List<ExpiredTask> batch, Map<Path, String> unusable, Counts counts) {
    List<ExpiredTask> completed = new ArrayList<>();
    List<ExpiredTask> failed = new ArrayList<>();
    for (ExpiredTask expired : batch) (expired.task().state() == TaskState.FINISHED ? completed : failed).add(expired);
    return dumpOrArchive(completedDump, completed, unusable, counts) + dumpOrArchive(failedDump, failed, unusable, counts);
  }

  /** Dumps and deletes the tasks, or archives them when the file cannot be written (in this run). */
  private int dumpOrArchive(DumpFile dump, List<ExpiredTask> tasks, Map<Path, String> unusable, Counts counts) {
    if (tasks.isEmpty()) return 0;
    if (!unusable.containsKey(dump.path())) {
      try {
        dump.append(tasks.stream().map(TaskJson::line).toList());
        return store.deleteFinal(tasks.stream().map(e -> e.task().id()).toList());
      } catch (UncheckedIOException e) {
        // Lines written before the failure stay in the file; archived too, a task is never lost.
        String problem = "cannot write the cleanup dump file %s (%s); its tasks go to the archive table instead"
            .formatted(dump.path(), reason(e.getCause()));
        unusable.put(dump.path(), problem);
      }
    }
    return archive(tasks, counts);
  }

  private static String reason(IOException e) {
    return switch (e) {
      case FileAlreadyExistsException f -> "not a folder: " + f.getFile();
      case NoSuchFileException f -> "no such file or folder: " + f.getFile();
      case AccessDeniedException f -> "access denied: " + f.getFile();
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }

  private int archive(List<ExpiredTask> batch, Counts counts) {
    List<ArchivedTask> archived = batch.stream()
        .map(e -> new ArchivedTask(e.task().id(), e.task().handler(), e.task().state(), e.task().finishedAt(),
            TaskJson.line(e)))
        .toList();
    int moved = store.archive(archived, clock.pinned());
    counts.archived += moved;
    return moved;
  }
}
