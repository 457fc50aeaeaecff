package dev.party.cli;

import picocli.CommandLine.Command;

@Command(
    name = "party",
    mixinStandardHelpOptions = true,
    versionProvider = PartyCommand.Version.class,
    description = "Background tasks: store them, run them, watch them.",
    subcommands = {
      ServerCommand.class,
      WorkerCommand.class,
      EnqueueCommand.class,
      StatusCommand.class,
      TasksCommand.class,
      ScheduleCommand.class,
      UnscheduleCommand.class,
      CleanupCommand.class,
      SchedulesCommand.class,
      WorkersCommand.class,
      QueuesCommand.class,
      ConfigCommand.class,
    })
final class PartyCommand {

  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = PartyCommand.class.getPackage().getImplementationVersion();
      return new String[] {"party " + (version == null ? "development build" : version)};
    }
  }
}
