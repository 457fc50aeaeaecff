package dev.party.cli;

import dev.party.error.ErrorCode;
import dev.party.error.PartyException;
import dev.party.schedule.TimeText;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import picocli.CommandLine;

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
    return commandLine().execute(args);
  }

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
