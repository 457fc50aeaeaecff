package dev.party.cli;

import dev.party.Party;
import dev.party.PartyBuilder;
import dev.party.PartyConfig;
import dev.party.PartyClock;
import dev.party.error.TaskNotFoundException;
import dev.party.store.TaskStore;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "tasks", description = "Lists, shows, cancels, retries, runs and deletes tasks.",
    mixinStandardHelpOptions = true,
    subcommands = {TasksCommand.ListTasks.class, TasksCommand.ShowTask.class, TasksCommand.CancelTask.class,
        TasksCommand.RetryTask.class, TasksCommand.RunTask.class, TasksCommand.DeleteTask.class})
final class TasksCommand {

  @Command(name = "list", description = "Lists tasks, newest first.", mixinStandardHelpOptions = true)
  static final class ListTasks implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @Option(names = "--state", description = "PENDING, RUNNING, FINISHED, FAILED or CANCELLED.")
    TaskState state;

    @Option(names = "--handler")
    String handler;

    @Option(names = "--limit", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}, at most 1000.")
    int limit;

    @Option(names = "--before", paramLabel = "ID", description = "The page after this id (the last id printed).")
    String before;

    @Override
    public Integer call() {
      TaskQuery query = TaskQuery.all().state(state).handler(handler).limit(limit)
          .before(before == null ? null : TaskId.of(before));
      // Through Party, so that types with a progress function show it.
      try (TaskStore tasks = store.open(); Party party = store.handlers(Party.builder(tasks)).build()) {
        Instant now = PartyClock.system().instant();
        TaskText.printHeader(spec.commandLine().getOut());
        for (TaskView task : party.tasks(query)) TaskText.printRow(spec.commandLine().getOut(), task, now);
      }
      return 0;
    }
  }

  @Command(name = "show", description = "Shows one task with its log: by id, or by handler and instance key.",
      mixinStandardHelpOptions = true)
  static final class ShowTask implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The task id; or give --handler and --instance.")
    String id;

    @Option(names = "--handler", description = "With --instance: the handler whose task to show.")
    String handler;

    @Option(names = "--instance", paramLabel = "KEY", description = "With --handler: the task's instance key.")
    String instance;

    @Override
    public Integer call() {
      if ((id == null) == (instance == null) || (instance == null) != (handler == null)) {
        throw new ParameterException(spec.commandLine(), "give a task ID, or --handler and --instance, not both");
      }
      try (TaskStore tasks = store.open(); Party party = store.handlers(Party.builder(tasks)).build()) {
        TaskView task = id != null
            ? party.task(TaskId.of(id)).orElseThrow(() -> new TaskNotFoundException(id))
            : party.task(handler, instance).orElseThrow(() -> TaskNotFoundException.byInstance(handler, instance));
        TaskText.printTask(spec.commandLine().getOut(), task, party.log(task.id()), PartyClock.system().instant());
      }
      return 0;
    }
  }

  /**
   * One task by id, changed through Party: prints the task afterwards (or what was done) and exits
   * 0; an unknown id or a task in the wrong state is a one-line error with exit 2, as elsewhere.
   */
  abstract static class OneTask implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The task id.")
    String id;

    @Override
    public Integer call() {
      try (TaskStore tasks = store.open(); Party party = store.handlers(builder(Party.builder(tasks))).build()) {
        TaskView task = change(party, TaskId.of(id));
        PrintWriter out = spec.commandLine().getOut();
        if (task == null) out.println("deleted " + id);
        else TaskText.printTask(out, task, party.log(task.id()), PartyClock.system().instant());
      }
      return 0;
    }

    /** The task afterwards; null when it is gone. */
    abstract TaskView change(Party party, TaskId id);

    /** The Party this command works through; as built by default unless a command needs more. */
    PartyBuilder builder(PartyBuilder builder) {
      return builder;
    }
  }

  @Command(name = "cancel", description = {"Cancels an unfinished task: a waiting one never runs; a running one",
      "ends CANCELLED at once, its handler sees isCancelled() and its outcome is dropped."},
      mixinStandardHelpOptions = true)
  static final class CancelTask extends OneTask {
    @Override
    TaskView change(Party party, TaskId id) {
      return party.cancel(id);
    }
  }

  @Command(name = "retry", description = "Puts a FAILED task back in the queue with a fresh set of attempts.",
      mixinStandardHelpOptions = true)
  static final class RetryTask extends OneTask {
    @Override
    TaskView change(Party party, TaskId id) {
      return party.retry(id);
    }
  }

  @Command(name = "run", description = "Runs a waiting task now, in this process, due or not; its handler must be"
      + " on this command's classpath or in the tasks folder.", mixinStandardHelpOptions = true)
  static final class RunTask extends OneTask {
    @Override
    TaskView change(Party party, TaskId id) {
      return party.runNow(id);
    }

    /**
     * Runs under a name of its own: a server or worker on this host restarting under the default
     * name takes back the tasks leased to that name, and would take this run from under it.
     */
    @Override
    PartyBuilder builder(PartyBuilder builder) {
      return builder.workerId(PartyConfig.defaultWorkerId(1) + "-run-" + ProcessHandle.current().pid());
    }
  }

  @Command(name = "delete", description = "Deletes a FINISHED, FAILED or CANCELLED task and its log for good"
      + " (cancel a waiting one first).", mixinStandardHelpOptions = true)
  static final class DeleteTask extends OneTask {
    @Override
    TaskView change(Party party, TaskId id) {
      party.purge(id);
      return null;
    }
  }
}
