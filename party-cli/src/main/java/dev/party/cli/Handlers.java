package dev.party.cli;

import dev.party.PartyBuilder;
import dev.party.task.TaskModule;
import java.util.ServiceLoader;

/** Registers every {@link TaskModule} on the classpath. */
final class Handlers {
  private Handlers() {}

  static PartyBuilder registerAll(PartyBuilder builder) {
    for (TaskModule module : ServiceLoader.load(TaskModule.class)) builder.module(module);
    return builder;
  }
}
