package dev.party.cli;

import dev.party.Party;
import dev.party.store.QueueView;
import dev.party.store.TaskStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "queues", mixinStandardHelpOptions = true,
    description = "Lists the queues with their pending counts; pauses or resumes one on every worker.",
    subcommands = {QueuesCommand.Pause.class, QueuesCommand.Resume.class})
final class QueuesCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    print(spec.commandLine().getOut(), withParty(store, Party::queues));
    return 0;
  }

  static void print(PrintWriter out, List<QueueView> queues) {
    if (queues.isEmpty()) {
      out.println("no queues hold unfinished tasks");
      return;
    }
    out.printf("%-32s %-8s %10s %10s  %s%n", "QUEUE", "STATE", "PENDING", "RUNNING", "PAUSED AT");
    for (QueueView queue : queues) {
      out.printf("%-32s %-8s %10d %10d  %s%n", queue.name(), queue.paused() ? "paused" : "active",
          queue.pending(), queue.running(), queue.pausedAt() == null ? "" : queue.pausedAt());
    }
  }

  /** Opens the store and a Party over it (no workers), for one action on its queues. */
  static <T> T withParty(StoreOptions store, Function<Party, T> action) {
    try (TaskStore tasks = store.open(); Party party = Party.builder(tasks).build()) {
      return action.apply(party);
    }
  }

  /** The subcommand's own {@code --db}, or the one given before its name ({@code party queues --db X pause NAME}). */
  private StoreOptions storeFor(CommandSpec subcommand, StoreOptions own) {
    boolean ownGiven = subcommand.commandLine().getParseResult().hasMatchedOption("--db");
    boolean parentGiven = spec.commandLine().getParseResult().hasMatchedOption("--db");
    return parentGiven && !ownGiven ? store : own;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Stops every worker from taking the queue's tasks (running ones finish) until it is resumed.")
  static final class Pause implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @ParentCommand QueuesCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      QueueView queue = withParty(parent.storeFor(spec, store), party -> party.pauseQueue(name));
      spec.commandLine().getOut().printf("paused %s (%d pending, %d running)%n", name, queue.pending(), queue.running());
      return 0;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Lets workers take the queue's tasks again.")
  static final class Resume implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @ParentCommand QueuesCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      QueueView queue = withParty(parent.storeFor(spec, store), party -> party.resumeQueue(name));
      spec.commandLine().getOut().printf("resumed %s (%d pending)%n", name, queue.pending());
      return 0;
    }
  }
}
