package dev.party.cleanup;

import java.time.Instant;
import java.util.List;

/**
 * What one cleanup run did.
 *
 * @param completed FINISHED tasks dumped (or archived)
 * @param failed FAILED and CANCELLED tasks dumped (or archived)
 * @param deleted tasks deleted from the task table; equals {@code completed + failed} unless a task
 *     was retried between its dump and its delete (its line stays in the dump; the task runs again)
 * @param archived of those, the tasks moved to the archive table: all of them without dump files,
 *     and those meant for a dump file that could not be written
 * @param endedAt when the run ended
 * @param unusableDumps one line per dump file that could not be written, naming it and why; the
 *     tasks meant for it went to the archive table instead. Empty when every write succeeded
 */
public record CleanupResult(long completed, long failed, long deleted, long archived, Instant endedAt,
    List<String> unusableDumps) {
  public CleanupResult {
    unusableDumps = List.copyOf(unusableDumps);
  }

  /** Where the tasks went, for a summary line: "archived", "dumped", or "3 dumped, 2 archived". */
  public String where(boolean dumps) {
    long total = completed + failed;
    if (!dumps || (archived > 0 && archived >= total)) return "archived";
    if (archived == 0) return "dumped";
    return "%d dumped, %d archived".formatted(total - archived, archived);
  }
}
