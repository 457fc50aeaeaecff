package dev.party.cli;

import dev.party.PartyClock;
import dev.party.error.TaskNotFoundException;
import dev.party.store.TaskStore;
import dev.party.task.TaskId;
import dev.party.task.TaskLogEntry;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tasks", description = "Lists and shows tasks.", mixinStandardHelpOptions = true,
    subcommands = {TasksCommand.ListTasks.class, TasksCommand.ShowTask.class})
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
      try (TaskStore tasks = store.open()) {
        Instant now = PartyClock.system().instant();
        TaskText.printHeader(spec.commandLine().getOut());
        for (TaskView task : tasks.list(query)) TaskText.printRow(spec.commandLine().getOut(), task, now);
      }
      return 0;
    }
  }

  @Command(name = "show", description = "Shows one task with its log.", mixinStandardHelpOptions = true)
  static final class ShowTask implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      TaskId taskId = TaskId.of(id);
      try (TaskStore tasks = store.open()) {
        TaskView task = tasks.get(taskId).orElseThrow(() -> new TaskNotFoundException(id));
        TaskText.printTask(spec.commandLine().getOut(), task,
            TaskLogEntry.withCreation(task, tasks.log(taskId)), PartyClock.system().instant());
      }
      return 0;
    }
  }

}
