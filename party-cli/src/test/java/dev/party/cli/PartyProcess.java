package dev.party.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@code party} command as a real child JVM, on this test's classpath, output kept in files. */
final class PartyProcess implements AutoCloseable {
  private static final AtomicInteger counter = new AtomicInteger();

  private final Process process;
  private final Path out;
  private final Path err;

  private PartyProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static PartyProcess start(Path logDir, String... args) throws IOException {
    return start(logDir, Map.of(), args);
  }

  static PartyProcess start(Path logDir, Map<String, String> env, String... args) throws IOException {
    int n = counter.incrementAndGet();
    Path out = logDir.resolve("party-" + n + ".out");
    Path err = logDir.resolve("party-" + n + ".err");
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    return new PartyProcess(process, out, err);
  }

  /** Runs to the end (at most a minute) and returns the exit code. */
  static PartyProcess run(Path logDir, String... args) throws Exception {
    PartyProcess process = start(logDir, args);
    process.awaitExit();
    return process;
  }

  int awaitExit() throws InterruptedException, IOException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("party did not exit within 60 s; stderr:\n" + err());
    }
    return process.exitValue();
  }

  int exitCode() {
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  /** kill -9: no shutdown hook runs, nothing is cleaned up. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the graceful stop. */
  void terminate() {
    process.destroy();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String out() throws IOException {
    return Files.readString(out);
  }

  String err() throws IOException {
    return Files.readString(err);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
