package dev.party.cli;

import dev.party.Party;
import dev.party.Schedules;
import dev.party.store.TaskStore;
import dev.party.task.TaskId;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "schedules", mixinStandardHelpOptions = true,
    description = "Lists the recurring schedules; pauses, resumes or triggers one.",
    subcommands = {SchedulesCommand.Pause.class, SchedulesCommand.Resume.class, SchedulesCommand.Trigger.class})
final class SchedulesCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ScheduleText.printTable(spec.commandLine().getOut(), withSchedules(store, Schedules::list));
    return 0;
  }

  /** Opens the store and a Party over it (no workers, no firing), for one action on its schedules. */
  static <T> T withSchedules(StoreOptions store, Function<Schedules, T> action) {
    try (TaskStore tasks = store.open(); Party party = store.handlers(Party.builder(tasks)).build()) {
      return action.apply(party.schedules());
    }
  }

  /**
   * The subcommand's own {@code --db}, or the one given before its name ({@code party schedules
   * --db X pause NAME}), which would otherwise be dropped in silence.
   */
  private StoreOptions storeFor(CommandSpec subcommand, StoreOptions own) {
    boolean ownGiven = subcommand.commandLine().getParseResult().hasMatchedOption("--db");
    boolean parentGiven = spec.commandLine().getParseResult().hasMatchedOption("--db");
    return parentGiven && !ownGiven ? store : own;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Lets the schedule's periods pass without firing until it is resumed.")
  static final class Pause implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @ParentCommand SchedulesCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      withSchedules(parent.storeFor(spec, store), schedules -> schedules.pause(name));
      spec.commandLine().getOut().printf("paused %s%n", name);
      return 0;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Fires the schedule again from its next period; the periods missed while paused are not fired.")
  static final class Resume implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @ParentCommand SchedulesCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      var resumed = withSchedules(parent.storeFor(spec, store), schedules -> schedules.resume(name));
      spec.commandLine().getOut().printf("resumed %s; next run %s%n", name, resumed.nextRunAt());
      return 0;
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true,
      description = "Stores the schedule's task now, paused or not, and prints its id; the next period stays.")
  static final class Trigger implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @ParentCommand SchedulesCommand parent;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      TaskId id = withSchedules(parent.storeFor(spec, store), schedules -> schedules.trigger(name));
      spec.commandLine().getOut().println(id);
      return 0;
    }
  }
}
