package dev.party.cli;

import dev.party.PartyConfig;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line of one worker process under a supervisor: this JVM's own java, JVM options and
 * class path (so {@code ./party} and a test's JVM alike start their children the same way), then
 * {@code worker} with the supervisor's own flags, minus {@code --processes}, {@code --index} and
 * {@code --name}, plus the child's {@code --name} and {@code --parent-pid}.
 */
final class ChildCommand {
  /** Flags the supervisor sets per child, or that only the supervisor takes. */
  static final Set<String> SUPERVISOR_ONLY = Set.of("--processes", "--index", "--name", "--parent-pid");

  private ChildCommand() {}

  /**
   * {@code java [JVM options] dev.party.cli.Main}, as this JVM was started. The class path goes in
   * the environment ({@link #CLASS_PATH_VARIABLE}): on the command line it would fill {@code ps} and
   * {@code /proc/PID/cmdline}, past what {@code ProcessHandle.info()} reads (4 KB).
   */
  static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // a debugger's agent would ask every child for the same port
      if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp")) command.add(option);
    }
    command.add(Main.class.getName());
    return command;
  }

  /** The environment variable that carries the class path to the children. */
  static final String CLASS_PATH_VARIABLE = "CLASSPATH";

  static String classPath() {
    return System.getProperty("java.class.path");
  }

  /** The worker flags given on this command line, in their order, without {@link #SUPERVISOR_ONLY}. */
  static List<String> workerFlags(ParseResult worker) {
    return workerFlags(worker, null);
  }

  /** As {@link #workerFlags(ParseResult)}, only the flags named in {@code only} (null: all). */
  static List<String> workerFlags(ParseResult parsed, Set<String> only) {
    List<String> flags = new ArrayList<>();
    // a repeated option is matched once per occurrence; its values hold them all
    for (OptionSpec option : new LinkedHashSet<>(parsed.matchedOptions())) {
      String name = option.longestName();
      if (SUPERVISOR_ONLY.contains(name) || only != null && !only.contains(name)) continue;
      if (option.arity().max() == 0) {
        // --no-virtual-threads must reach the child too: it would otherwise read true from the file
        if (Boolean.TRUE.equals(option.getValue())) flags.add(name);
        else if (option.negatable()) flags.add("--no-" + name.substring(2));
        continue;
      }
      for (String value : option.originalStringValues()) {
        flags.add(name);
        flags.add(value);
      }
    }
    return flags;
  }

  /**
   * The children's names: {@code NAME-i} with {@code --name NAME}, else {@code hostname-i}, for i
   * from {@code --index} (default 1) on.
   */
  static List<String> names(String name, int firstIndex, int processes) {
    List<String> names = new ArrayList<>();
    for (int i = firstIndex; i < firstIndex + processes; i++) {
      names.add(name != null ? name + "-" + i : PartyConfig.defaultWorkerId(i));
    }
    return names;
  }

  /** The supervisor's own name, held as a worker name lock: {@code NAME}, else {@code hostname-supervisor}. */
  static String supervisorName(String name) {
    if (name != null) return name;
    String worker = PartyConfig.defaultWorkerId(1);
    return worker.substring(0, worker.lastIndexOf('-')) + "-supervisor";
  }
}
