package dev.party.cli;

import dev.party.schedule.Misfire;
import dev.party.schedule.Overlap;
import dev.party.schedule.Recurrence;
import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleView;
import dev.party.task.TaskRequest;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = {"Adds a recurring schedule and prints its name and next run.",
        "Each period stores one task, however many workers run. Without --name a schedule is named "
            + "after its handler and data, so one handler with one data has one schedule."})
final class ScheduleCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HANDLER", description = "The registered handler name, e.g. SampleTask.")
  String handler;

  @ArgGroup(exclusive = true, multiplicity = "1")
  When when;

  static final class When {
    @Option(names = "--every", paramLabel = "DELAY", required = true,
        description = "Fire every DELAY (at least 1 second), such as \"30 minutes\", \"1 day\", \"2h 30m\" or PT1H.")
    Duration every;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Cron cron;
  }

  static final class Cron {
    @Option(names = "--cron", paramLabel = "EXPR", required = true,
        description = "A cron expression: 5 fields (minute hour day month weekday), such as \"0 3 * * *\", "
            + "or 6 with seconds first, such as \"*/30 * * * * *\".")
    String expression;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
        description = "The time zone --cron is read in, e.g. Europe/Berlin. Default: ${DEFAULT-VALUE}.")
    String zone;
  }

  @Option(names = "--name", paramLabel = "NAME",
      description = "Default: the handler, and for data other than {} a digest of the data, "
          + "e.g. SampleTask#1f2e3d4c5b6a7980.")
  String name;

  @Option(names = "--data", paramLabel = "JSON", defaultValue = "{}", description = "A JSON object. Default: {}.")
  String data;

  @Option(names = "--queue", defaultValue = TaskRequest.DEFAULT_QUEUE, description = "Default: ${DEFAULT-VALUE}.")
  String queue;

  @Option(names = "--priority", defaultValue = "0", description = "Higher runs first. Default: 0.")
  int priority;

  @Option(names = "--max-attempts", description = "Default: the handler's setting (6).")
  Integer maxAttempts;

  @Option(names = "--catch-up",
      description = "After downtime, fire every missed period, oldest first. Default: fire once, for the latest.")
  boolean catchUp;

  @Option(names = "--allow-overlap",
      description = "Fire a period even while the previous period's task has not ended. Default: skip that period.")
  boolean allowOverlap;

  @Override
  public Integer call() {
    TaskRequest task = TaskRequest.of(handler, data).priority(priority).queue(queue);
    if (maxAttempts != null) task = task.maxAttempts(maxAttempts);
    Schedule schedule = new Schedule(name, task, recurrence(),
        catchUp ? Misfire.CATCH_UP : Misfire.FIRE_ONCE, allowOverlap ? Overlap.ALLOW : Overlap.SKIP);
    ScheduleView added = SchedulesCommand.withSchedules(store, schedules -> schedules.add(schedule));
    ScheduleText.printAdded(spec.commandLine().getOut(), added);
    return 0;
  }

  private Recurrence recurrence() {
    if (when.every != null) return Recurrence.every(when.every);
    return Recurrence.cron(when.cron.expression, Recurrence.zone(when.cron.zone));
  }
}
