package dev.party.cli;

import dev.party.Party;
import dev.party.cleanup.CleanupResult;
import dev.party.store.TaskStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
    description = {"Runs the cleanup (TaskCleanup) once, now: FINISHED, FAILED and CANCELLED tasks past their",
        "retention go to the dump files, or to the archive table, and leave the store. Reads the",
        "cleanup: map of the config file; see docs/operations.md#cleanup."})
final class CleanupCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:PARTY_CONFIG}",
      description = "The config file (YAML) with the cleanup: settings. Env: PARTY_CONFIG. Default: party.yaml when it exists.")
  Path config;

  @Override
  public Integer call() {
    ConfigFile file = ConfigFile.load(config); // before the store opens: a bad file changes nothing
    try (TaskStore tasks = store.open();
        Party party = Handlers.registerAll(Party.builder(tasks)).cleanup(file.cleanup()).build()) {
      CleanupResult result = party.cleanup();
      spec.commandLine().getOut().println("removed %d finished and %d failed or cancelled tasks (%s)".formatted(
          result.completed(), result.failed(), file.cleanup().dumps() ? "dumped" : "archived"));
    }
    return 0;
  }
}
