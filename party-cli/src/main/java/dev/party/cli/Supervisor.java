package dev.party.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeds' post-fork model: keeps one worker process per name running ({@code party worker
 * --processes N}). A process that exits or is killed is started again under the same name after a
 * {@link RestartBackoff}, and each restart is counted. Every line a process prints is printed by the
 * supervisor with the process's name in front ({@code [host-2] ...}), stdout to stdout and stderr to
 * stderr.
 *
 * <p>{@link #run()} owns the calling thread until {@link #stop} (or, when draining, until every
 * process has exited 0); {@link #stop} is called from another thread (the shutdown hook), is safe to
 * call twice, and ends the processes: SIGTERM first, then SIGKILL for what is left after the wait.
 */
final class Supervisor {
  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
  /** The loop looks at its processes at least this often, even without an exit signal. */
  private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

  /** Starts the worker process of one name. */
  @FunctionalInterface
  interface Launcher {
    Process start(String name) throws IOException;
  }

  /**
   * Told when a process died (any exit but a drained one), before it is started again: records its
   * exit code, for the errors of the tasks it was running.
   */
  @FunctionalInterface
  interface Exits {
    void exited(String name, int exitCode);
  }

  /** Told after each restart (not after first starts): counts it in the store. */
  @FunctionalInterface
  interface Restarts {
    void restarted(String name);
  }

  private final Launcher launcher;
  private final Restarts restarts;
  private final Exits exits;
  private final RestartBackoff backoff;
  private final boolean drain;
  private final List<Child> children = new ArrayList<>();
  private final Object lock = new Object();
  private boolean stopping; // guarded by lock

  /**
   * @param drain a process that exits 0 is done (it found no due task), not restarted; {@link #run()}
   *     returns once all are done
   */
  Supervisor(List<String> names, Launcher launcher, Restarts restarts, Exits exits, RestartBackoff backoff,
      boolean drain) {
    this.launcher = launcher;
    this.restarts = restarts;
    this.exits = exits;
    this.backoff = backoff;
    this.drain = drain;
    for (String name : names) children.add(new Child(name));
  }

  /** Starts every process, then keeps them running until {@link #stop} or, when draining, until all are done. */
  void run() throws InterruptedException {
    synchronized (lock) {
      while (!stopping) {
        long now = System.nanoTime();
        long wake = now + LOOK_AGAIN.toNanos();
        boolean anyLeft = false;
        for (Child child : children) {
          if (child.done) continue;
          child.checkExit(now);
          if (child.done) continue;
          anyLeft = true;
          if (child.process == null && now - child.startAt >= 0) child.start(now);
          if (child.process == null) wake = Math.min(wake, child.startAt);
        }
        if (!anyLeft) return;
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(wake - now);
        if (waitMillis > 0) lock.wait(waitMillis); // an exit, stop() or the next due start wakes it
      }
    }
  }

  /**
   * Sends SIGTERM to every process, waits up to {@code wait} for them all, then kills what is left.
   * Returns once no process is left. Safe to call twice, and before or after {@link #run()} returns.
   */
  void stop(Duration wait) throws InterruptedException {
    List<Running> running = new ArrayList<>();
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
      for (Child child : children) {
        if (child.process != null) running.add(new Running(child.name, child.process, child.out, child.err));
      }
    }
    for (Running child : running) child.process.destroy();
    long deadline = System.nanoTime() + wait.toNanos();
    for (Running child : running) {
      long left = deadline - System.nanoTime();
      if (!child.process.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
        log.warn("worker {} (pid {}) did not stop within {} ms; killing it", child.name, child.process.pid(),
            wait.toMillis());
        child.process.destroyForcibly();
      }
    }
    for (Running child : running) {
      int code = child.process.waitFor();
      joinOutput(child.out, child.err);
      log.info("worker {} (pid {}) stopped with code {}", child.name, child.process.pid(), code);
    }
  }

  private record Running(String name, Process process, Thread out, Thread err) {}
  /** One worker name and its current process; guarded by the supervisor's lock. */
  private final class Child {
    final String name;
    Process process;
    long startedAt;
    long startAt; // System.nanoTime() at which to start it next; due at once at first
    int starts;
    int failuresInARow;
    boolean done;
    Thread out;
    Thread err;

    Child(String name) {
      this.name = name;
      this.startAt = System.nanoTime();
    }

    /** When the process has exited: done (drained), or a restart is planned after the backoff. */
    void checkExit(long now) {
      if (process == null || process.isAlive()) return;
      int code = process.exitValue();
      Duration uptime = Duration.ofNanos(now - startedAt);
      long pid = process.pid();
      process = null;
      joinOutput(out, err);
      if (drain && code == 0) {
        log.info("worker {} (pid {}) found no due task and exited", name, pid);
        done = true;
        return;
      }
      try {
        exits.exited(name, code);
      } catch (RuntimeException e) {
        log.warn("could not record the exit code of worker {} in the store: {}", name, e.toString());
      }
      failuresInARow = backoff.failuresInARow(failuresInARow, uptime);
      Duration delay = backoff.delay(failuresInARow);
      startAt = now + delay.toNanos();
      log.warn("worker {} (pid {}) exited with code {} after {} ms; restarting it in {} ms",
          name, pid, code, uptime.toMillis(), delay.toMillis());
    }

    void start(long now) {
      try {
        process = launcher.start(name);
      } catch (IOException | RuntimeException e) {
        failuresInARow++;
        Duration delay = backoff.delay(failuresInARow);
        startAt = now + delay.toNanos();
        log.error("worker {} could not be started ({}); trying again in {} ms", name, e.toString(), delay.toMillis());
        return;
      }
      startedAt = now;
      process.onExit().thenRun(() -> {
        synchronized (lock) {
          lock.notifyAll();
        }
      });
      out = pump(process.getInputStream(), System.out, "[" + name + "] ", name + "-out");
      err = pump(process.getErrorStream(), System.err, "[" + name + "] ", name + "-err");
      if (starts++ == 0) {
        log.info("worker {} started, pid {}", name, process.pid());
        return;
      }
      log.info("worker {} restarted, pid {}", name, process.pid());
      try {
        restarts.restarted(name);
      } catch (RuntimeException e) {
        log.warn("could not count the restart of worker {} in the store: {}", name, e.toString());
      }
    }

  }

  /** Lets the last lines of an ended process through; the pumps end at the end of its output. */
  private static void joinOutput(Thread... pumps) {
    for (Thread pump : pumps) {
      if (pump == null) continue;
      try {
        pump.join(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Copies a process's output line by line, each line with its prefix; ends when the process closes it. */
  private static Thread pump(InputStream in, PrintStream to, String prefix, String name) {
    return Thread.ofPlatform().name("party-supervisor-" + name).daemon().start(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) to.println(prefix + line);
      } catch (IOException closed) {
        // the process is gone
      }
    });
  }
}
