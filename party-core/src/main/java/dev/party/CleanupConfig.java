package dev.party;

import dev.party.error.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in cleanup ({@code TaskCleanup}, the seeds' task): removes FINISHED, FAILED and
 * CANCELLED tasks past their retention, dumping them to files first, or moving them to the archive
 * table when no dump files are set. See {@code docs/operations.md#cleanup}.
 *
 * @param every how often the cleanup schedule fires (once per period across all nodes); null turns
 *     the schedule off, and removes a stored one at start. Default: 1 hour
 * @param retention how long a final task is kept after it ended, for handlers whose {@link
 *     dev.party.task.TaskType#retention} is not set. Default: 7 days
 * @param completedDump the file FINISHED tasks are appended to, one JSON line each; null for the
 *     archive table. Given together with {@code failedDump}, or not at all. Default: none
 * @param failedDump the file FAILED and CANCELLED tasks are appended to. Default: none
 * @param batchSize tasks read, dumped and deleted per step. Default: 500
 */
public record CleanupConfig(Duration every, Duration retention, Path completedDump, Path failedDump, int batchSize) {
  public static final Duration DEFAULT_EVERY = Duration.ofHours(1);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final int DEFAULT_BATCH_SIZE = 500;

  public CleanupConfig {
    List<String> problems = new ArrayList<>();
    if (every != null && (every.isNegative() || every.isZero())) {
      problems.add("cleanup 'every' must be positive, not %s; leave the schedule out to turn it off".formatted(every));
    }
    if (retention == null || retention.isNegative() || retention.isZero()) {
      problems.add("cleanup retention must be positive, not " + retention);
    }
    if ((completedDump == null) != (failedDump == null)) {
      problems.add("give both cleanup dump files (completed-dump and failed-dump), or neither for the archive table;"
          + " got completed-dump=%s, failed-dump=%s".formatted(completedDump, failedDump));
    }
    if (batchSize < 1) problems.add("cleanup batch size must be at least 1, not " + batchSize);
    if (!problems.isEmpty()) throw new ConfigException(problems);
  }

  public static CleanupConfig defaults() {
    return new CleanupConfig(DEFAULT_EVERY, DEFAULT_RETENTION, null, null, DEFAULT_BATCH_SIZE);
  }

  /** True when tasks go to dump files, false for the archive table. */
  public boolean dumps() {
    return completedDump != null;
  }

  public CleanupConfig every(Duration value) {
    return new CleanupConfig(value, retention, completedDump, failedDump, batchSize);
  }

  /** No cleanup schedule: the cleanup runs only when asked ({@code TaskCleanup} task, {@code party cleanup}). */
  public CleanupConfig off() {
    return every(null);
  }

  public CleanupConfig retention(Duration value) {
    return new CleanupConfig(every, value, completedDump, failedDump, batchSize);
  }

  public CleanupConfig dumps(Path completed, Path failed) {
    return new CleanupConfig(every, retention, completed, failed, batchSize);
  }

  public CleanupConfig batchSize(int value) {
    return new CleanupConfig(every, retention, completedDump, failedDump, value);
  }
}
