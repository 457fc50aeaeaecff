package dev.party.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "unschedule", mixinStandardHelpOptions = true,
    description = {"Removes a recurring schedule; the tasks it already stored stay.",
        "A name with no schedule is not an error: it says so and exits 0, so scripts can run it twice."})
final class UnscheduleCommand implements Callable<Integer> {
  @Mixin StoreOptions store;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "As 'party schedules' lists it.")
  String name;

  @Override
  public Integer call() {
    boolean removed = SchedulesCommand.withSchedules(store, schedules -> schedules.unschedule(name));
    spec.commandLine().getOut()
        .println(removed ? "removed " + name : "no schedule named '%s'; nothing removed".formatted(name));
    return 0;
  }
}
