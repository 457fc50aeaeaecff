package dev.party.cli;

import dev.party.CleanupConfig;
import dev.party.Party;
import dev.party.cleanup.CleanupResult;
import dev.party.error.ErrorCode;
import dev.party.store.TaskStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
    description = {"Runs the cleanup (TaskCleanup) once, now: FINISHED, FAILED and CANCELLED tasks past their",
        "retention go to the dump files, or to the archive table, and leave the store. Reads the",
        "cleanup settings (flags, environment, config file); see docs/operations.md#cleanup."})
final class CleanupCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Mixin CleanupOptions cleanup;

  @Override
  public Integer call() {
    CleanupConfig config = cleanup.config(); // before the store opens: a bad file changes nothing
    store.configFile(); // read before the store opens, too
    try (TaskStore tasks = store.open();
        // with the file's task-types: their retention decides what the cleanup removes
        Party party = store.handlers(Party.builder(tasks)).cleanup(config).build()) {
      CleanupResult result = party.cleanup();
      spec.commandLine().getOut().println("removed %d finished and %d failed or cancelled tasks (%s)".formatted(
          result.completed(), result.failed(), result.where(config.dumps())));
      // A dump file that cannot be written is a configuration problem, but the run still did its
      // work (to the archive table), so it succeeds.
      for (String problem : result.unusableDumps()) {
        spec.commandLine().getErr().println("party: " + ErrorCode.BAD_CONFIG.wire() + ": " + problem);
      }
    }
    return 0;
  }
}
