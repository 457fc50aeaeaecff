package dev.party.cli;

import dev.party.Party;
import dev.party.store.TaskStore;
import dev.party.task.Enqueued;
import dev.party.task.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "enqueue", description = "Stores a task and prints its id (with --batch-key, maybe a waiting one's).",
    mixinStandardHelpOptions = true)
final class EnqueueCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HANDLER", description = "The registered handler name, e.g. SampleTask.")
  String handler;

  @Option(names = "--data", paramLabel = "JSON", defaultValue = "{}", description = "A JSON object. Default: {}.")
  String data;

  @ArgGroup(exclusive = true)
  When when;

  static final class When {
    @Option(names = "--at", paramLabel = "TIME",
        description = "Run at this time: ISO-8601 (no offset means UTC) or epoch milliseconds.")
    Instant at;

    @Option(names = "--in", paramLabel = "DELAY",
        description = "Run after this delay: numbers with units (ms, s, m, h, d, w, or words such as minutes), "
            + "e.g. \"90s\", \"10 minutes\", \"1 day\", \"2 hours 30 minutes\", \"2h 30m\"; "
            + "or ISO-8601 such as PT1H30M.")
    Duration in;
  }

  @Option(names = "--priority", defaultValue = "0", description = "Higher runs first. Default: 0.")
  int priority;

  @Option(names = "--queue", defaultValue = TaskRequest.DEFAULT_QUEUE, description = "Default: ${DEFAULT-VALUE}.")
  String queue;

  @Option(names = "--max-attempts", description = "Default: the handler's setting (6).")
  Integer maxAttempts;

  @Option(names = "--batch-key", paramLabel = "KEY", description = "Store nothing if a task of this handler with"
      + " this key is waiting (not yet started); print that task's id instead, and say so on stderr.")
  String batchKey;

  @Option(names = "--instance-key", paramLabel = "KEY", description = "Names the task among its handler's tasks:"
      + " refused if the handler already has a task with this key, in any state; find it with"
      + " 'party tasks show --handler HANDLER --instance KEY'.")
  String instanceKey;

  @Option(names = "--singleton-key", paramLabel = "KEY", description = "For a singleton handler: at most one task"
      + " with this key runs at a time (default: the handler name). Refused for any other handler.")
  String singletonKey;

  @Option(names = "--limit-key", paramLabel = "KEY", description = "For a handler with a concurrency or rate limit:"
      + " the limits hold for each key on its own. Refused for any other handler.")
  String limitKey;

  @Override
  public Integer call() {
    TaskRequest request = TaskRequest.of(handler, data).priority(priority).queue(queue);
    if (maxAttempts != null) request = request.maxAttempts(maxAttempts);
    if (batchKey != null) request = request.batchKey(batchKey);
    if (instanceKey != null) request = request.instanceKey(instanceKey);
    if (singletonKey != null) request = request.singletonKey(singletonKey);
    if (limitKey != null) request = request.limitKey(limitKey);
    if (when != null && when.at != null) request = request.runAt(when.at);
    if (when != null && when.in != null) request = request.runIn(when.in);
    try (TaskStore tasks = store.open(); Party party = store.handlers(Party.builder(tasks)).build()) {
      Enqueued enqueued = party.enqueueAllDetailed(List.of(request)).getFirst();
      spec.commandLine().getOut().println(enqueued.id());
      if (enqueued.covered()) {
        spec.commandLine().getErr().println("party: nothing stored: task %s with batch key '%s' is waiting and covers it"
            .formatted(enqueued.id(), batchKey));
      }
    }
    return 0;
  }
}
