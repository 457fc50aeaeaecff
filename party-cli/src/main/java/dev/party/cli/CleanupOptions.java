package dev.party.cli;

import dev.party.CleanupConfig;
import dev.party.error.ConfigException;
import dev.party.error.PartyException;
import dev.party.schedule.TimeText;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The built-in cleanup of final tasks (TaskCleanup). Mixed into {@code server}, {@code worker} and {@code cleanup}. */
final class CleanupOptions {

  @Option(names = "--cleanup-every", paramLabel = "DURATION|off", defaultValue = "1 hour",
      description = "How often the cleanup runs; off for never. Env: PARTY_CLEANUP_EVERY. File: cleanup.every. Default: ${DEFAULT-VALUE}.")
  String every;

  @Option(names = "--cleanup-retention", paramLabel = "DURATION", defaultValue = "7 days",
      description = "How long final tasks are kept, for handlers that set none. Env: PARTY_CLEANUP_RETENTION."
          + " File: cleanup.retention. Default: ${DEFAULT-VALUE}.")
  Duration retention;

  @Option(names = "--completed-dump", paramLabel = "FILE",
      description = "Append FINISHED tasks here before deleting them (with --failed-dump). Env: PARTY_COMPLETED_DUMP."
          + " File: cleanup.completed-dump. Default: none, final tasks move to the archive table.")
  Path completedDump;

  @Option(names = "--failed-dump", paramLabel = "FILE",
      description = "Append FAILED and CANCELLED tasks here. Env: PARTY_FAILED_DUMP. File: cleanup.failed-dump.")
  Path failedDump;

  @Option(names = "--cleanup-batch-size", paramLabel = "N", defaultValue = "500",
      description = "Tasks read, dumped and deleted per step. Env: PARTY_CLEANUP_BATCH_SIZE. File: cleanup.batch-size."
          + " Default: ${DEFAULT-VALUE}.")
  int batchSize;

  CleanupConfig config() {
    return new CleanupConfig(every(), retention, completedDump, failedDump, batchSize);
  }

  /** Null for off. */
  private Duration every() {
    if ("off".equalsIgnoreCase(every.strip())) return null;
    try {
      return TimeText.duration(every);
    } catch (PartyException e) {
      throw new ConfigException("--cleanup-every: " + e.getMessage());
    }
  }
}
