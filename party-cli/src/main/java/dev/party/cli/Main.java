package dev.party.cli;

import dev.party.error.ErrorCode;
import dev.party.error.PartyException;
import dev.party.schedule.TimeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code party} command. Errors are one line on stderr; exit 2 means the input was refused. */
public final class Main {
  /** Input refused (bad JSON, unknown handler, bad time, bad flag): nothing was changed. */
  static final int EXIT_BAD_INPUT = 2;
  /** The store failed, or another unexpected error. */
  static final int EXIT_FAILURE = 1;
  /** A worker under this name is already running. */
  static final int EXIT_ALREADY_RUNNING = 3;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** One run of the command with this environment, printing to {@code out} and {@code err}. */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli;
    try {
      cli = commandLine(env, args);
    } catch (PartyException e) { // the config file: not valid YAML, an unknown key...
      err.println("party: " + e.code().wire() + ": " + e.getMessage());
      return EXIT_BAD_INPUT;
    }
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  /**
   * The command, with the values of flags not given taken from {@code env}, then from the config
   * file: the one {@code args} or {@code env} name ({@code --config FILE}, {@code PARTY_CONFIG}),
   * else party.yaml when it exists.
   *
   * @throws PartyException when the config file cannot be read
   */
  static CommandLine commandLine(Map<String, String> env, String... args) {
    ConfigFile file;
    try {
      file = ConfigFile.load(configPath(env, args));
    } catch (PartyException e) {
      if (!asksForHelp(args)) throw e;
      file = ConfigFile.none(); // --help and --version still answer, without the broken file
    }
    ConfigDefaults defaults = new ConfigDefaults(file, env);
    CommandLine cli = commandLine();
    cli.setDefaultValueProvider(defaults);
    cli.setParameterExceptionHandler((e, given) -> {
      PrintWriter err = e.getCommandLine().getErr();
      String origin = e.getArgSpec() instanceof OptionSpec option && !given(option, given)
          ? defaults.find(option.longestName()).map(found -> " (from " + found.origin() + ")").orElse("") : "";
      err.println("party: " + e.getMessage() + origin);
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      return EXIT_BAD_INPUT;
    });
    return cli;
  }

  private static boolean asksForHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version") || arg.equals("help")) return true;
    }
    return false;
  }

  private static boolean given(OptionSpec option, String[] args) {
    for (String arg : args) {
      for (String name : option.names()) {
        if (arg.equals(name) || arg.startsWith(name + "=")) return true;
      }
    }
    return false;
  }

  /** The config file {@code --config} names, else {@code PARTY_CONFIG}; null for the default. */
  static Path configPath(Map<String, String> env, String... args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) return Path.of(args[i + 1]);
      if (args[i].startsWith("--config=")) return Path.of(args[i].substring("--config=".length()));
      if (args[i].equals("--")) break;
    }
    String fromEnv = env.get("PARTY_CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.strip());
  }

  /** The command without defaults from the environment or a config file. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PartyCommand());
    cli.registerConverter(Duration.class, text -> converted(() -> TimeText.duration(text)));
    cli.registerConverter(Instant.class, text -> converted(() -> TimeText.instant(text)));
    cli.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("party: " + e.getMessage());
      err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
      return EXIT_BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      PrintWriter err = command.getErr();
      if (e instanceof PartyException party) {
        err.println("party: " + party.code().wire() + ": " + party.getMessage());
        return party.code() == ErrorCode.STORE_UNAVAILABLE ? EXIT_FAILURE : EXIT_BAD_INPUT;
      }
      err.println("party: unexpected error: " + e);
      return EXIT_FAILURE;
    });
    return cli;
  }

  /** Lets picocli report a bad value in one line, with Party's stable code. */
  private static <T> T converted(Supplier<T> conversion) {
    try {
      return conversion.get();
    } catch (PartyException e) {
      throw new CommandLine.TypeConversionException(e.code().wire() + ": " + e.getMessage());
    }
  }
}
