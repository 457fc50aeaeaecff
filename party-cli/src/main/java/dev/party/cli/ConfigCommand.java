package dev.party.cli;

import dev.party.error.PartyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code party config}: every setting with the value a command started here would use and where
 * it comes from (environment, file or default), so "why does it listen there?" has an answer.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"Prints every setting with its value and where it comes from: an environment variable,",
        "the config file or the default. Flags given to a command win over all of these.",
        "Exits 2, naming the problem, when party server would refuse a value."})
final class ConfigCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE",
      description = "The config file (YAML). Env: PARTY_CONFIG. Default: party.yaml when it exists.")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    if (!(root.getDefaultValueProvider() instanceof ConfigDefaults defaults)) {
      throw new IllegalStateException("party config runs under Main, which reads the config file");
    }
    PrintWriter out = spec.commandLine().getOut();
    ConfigFile file = defaults.file();
    out.println("config file: " + (file.path() == null ? "none (no party.yaml here, no --config or PARTY_CONFIG)" : file.path()));
    out.printf("%-28s %-36s %s%n", "SETTING", "VALUE", "FROM");
    for (ConfigKey setting : ConfigKey.ALL) {
      if (setting.key() == null) continue;
      Optional<ConfigDefaults.Found> found = defaults.find(setting.flag());
      String value = found.map(ConfigDefaults.Found::value).orElseGet(() -> builtIn(root, setting.flag()));
      String from = found.map(ConfigDefaults.Found::origin).orElse("default");
      out.printf("%-28s %-36s %s%n", setting.key(), Secrets.mask(value), from);
    }
    out.println("queues: " + (file.queues().isEmpty() ? "none" : describe(file.queues())));
    out.println("task-types: " + (file.taskTypes().isEmpty() ? "none"
        : file.taskTypes().stream().map(TaskTypeSettings::handler).collect(Collectors.joining(", "))));
    out.println("datasources: " + (file.dataSources().isEmpty() ? "none"
        : file.dataSources().stream().map(DataSourceSettings::name).collect(Collectors.joining(", "))));
    out.println("schedules: " + file.schedules().size());
    List<String> problems = problems(defaults);
    if (problems.isEmpty()) return 0;
    PrintWriter err = spec.commandLine().getErr();
    problems.forEach(problem -> err.println("party: " + problem));
    return Main.EXIT_BAD_INPUT;
  }

  /** What {@code party server} would refuse at start with these settings (the first bad value of each kind). */
  private static List<String> problems(ConfigDefaults defaults) {
    List<String> problems = new ArrayList<>();
    CommandLine server = Main.commandLine();
    server.setDefaultValueProvider(defaults);
    try {
      server.parseArgs("server");
      ((ServerCommand) server.getSubcommands().get("server").getCommand()).checked();
    } catch (CommandLine.ParameterException e) {
      String origin = e.getArgSpec() instanceof OptionSpec option
          ? defaults.find(option.longestName()).map(found -> " (from " + found.origin() + ")").orElse("") : "";
      problems.add(e.getMessage() + origin);
    } catch (PartyException e) {
      problems.add(e.code().wire() + ": " + e.getMessage());
    } catch (IOException e) {
      problems.add("cannot read: " + e.getMessage());
    }
    return problems;
  }

  /** What a flag without a default value means. */
  private static final Map<String, String> UNSET = Map.of(
      "--tasks-dir", "tasks, when it exists",
      "--workers", "one per core",
      "--queues", "all",
      "--name", "hostname-index",
      "--virtual-threads", "false",
      "--processes", "one process",
      "--socket", "none",
      "--token-file", "none (loopback only)",
      "--completed-dump", "none (archive table)",
      "--failed-dump", "none (archive table)");

  /** The flag's own default, from whichever command takes it. */
  private static String builtIn(CommandLine root, String flag) {
    for (CommandLine command : root.getSubcommands().values()) {
      OptionSpec option = command.getCommandSpec().findOption(flag);
      if (option != null && option.defaultValue() != null) return option.defaultValue();
    }
    return UNSET.getOrDefault(flag, "none");
  }

  private static String describe(Map<String, Integer> queues) {
    return queues.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }
}
