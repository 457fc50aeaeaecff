package dev.party.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the {@code party} command, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  /** A run as {@code party ARGS} would do it, with this process's environment. */
  static CliRun of(String... args) {
    return withEnv(System.getenv(), args);
  }

  /** A run with this environment instead of the process's. */
  static CliRun withEnv(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
