package dev.party.cli;

import dev.party.store.TaskStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Worker processes under a {@link Supervisor}, for {@code party worker --processes N} and {@code
 * party server --processes N}: each child is {@code party worker} with the flags of this command
 * line that a worker takes, under its own name; exits are recorded (their codes go into the errors
 * of the tasks a crash took down) and restarts counted in the store.
 */
final class WorkerProcesses {
  private WorkerProcesses() {}

  static Supervisor supervisor(TaskStore tasks, String supervisorName, List<String> names, ParseResult parsed,
      boolean drain) {
    List<String> command = new ArrayList<>(ChildCommand.javaCommand());
    command.add("worker");
    command.addAll(workerFlags(parsed));
    long pid = ProcessHandle.current().pid();
    return new Supervisor(names, child -> start(command, child, pid), child -> tasks.recordRestart(supervisorName),
        tasks::recordExit, RestartBackoff.defaults(), drain);
  }

  /** The flags given here that {@code party worker} also takes (a server's --port is not one). */
  private static List<String> workerFlags(ParseResult parsed) {
    Set<String> known = new CommandLine(new WorkerCommand()).getCommandSpec().optionsMap().keySet();
    return ChildCommand.workerFlags(parsed, known);
  }

  private static Process start(List<String> command, String name, long supervisorPid) throws IOException {
    List<String> child = new ArrayList<>(command);
    child.addAll(List.of("--name", name, "--parent-pid", Long.toString(supervisorPid)));
    ProcessBuilder builder = new ProcessBuilder(child);
    builder.environment().put(ChildCommand.CLASS_PATH_VARIABLE, ChildCommand.classPath());
    return builder.start();
  }
}
