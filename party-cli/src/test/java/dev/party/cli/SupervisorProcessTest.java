package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code party worker --processes N} as a real process tree: a child killed, replaced, counted; then SIGTERM. */
@Tag("slow")
class SupervisorProcessTest {
  /** The JVM's exit code after SIGTERM (128 + 15). */
  private static final int SIGTERM_EXIT = 143;

  @TempDir Path dir;

  private String db() {
    return dir.resolve("party.db").toString();
  }

  private long restartedWorkers() {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.restartedWorkers();
    }
  }

  /** The supervisor's worker processes, by the name each was given ({@code --name}). */
  private static Map<String, ProcessHandle> workers(PartyProcess supervisor) {
    return ProcessHandle.of(supervisor.pid()).orElseThrow().descendants()
        .filter(ProcessHandle::isAlive)
        .flatMap(p -> workerName(p).map(name -> Map.entry(name, p)).stream())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
  }

  private static Optional<String> workerName(ProcessHandle process) {
    List<String> args = List.of(process.info().arguments().orElse(new String[0]));
    int at = args.indexOf("--name");
    return at >= 0 && at + 1 < args.size() ? Optional.of(args.get(at + 1)) : Optional.empty();
  }

  @Test
  void a_killed_worker_process_is_replaced_under_its_name_and_counted_and_sigterm_stops_them_all()
      throws Exception {
    try (PartyProcess supervisor = PartyProcess.start(dir, "worker", "--processes", "3", "--name", "pool",
        "--workers", "1", "--grace", "2s", "--db", db())) {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> workers(supervisor).keySet().equals(java.util.Set.of("pool-1", "pool-2", "pool-3")));
      await().atMost(Duration.ofSeconds(30))
          .until(() -> supervisor.err().contains("[pool-2]") && supervisor.err().contains("worker pool-2 started"));
      Map<String, ProcessHandle> first = workers(supervisor);
      ProcessHandle doomed = first.get("pool-2");

      doomed.destroyForcibly(); // kill -9
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        ProcessHandle now = workers(supervisor).get("pool-2");
        return now != null && now.pid() != doomed.pid();
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> restartedWorkers() == 1);
      assertThat(CliRun.of("status", "--db", db()).out()).contains("restarted workers: 1");
      assertThat(doomed.isAlive()).isFalse();
      assertThat(workers(supervisor).get("pool-1").pid()).isEqualTo(first.get("pool-1").pid());
      assertThat(workers(supervisor).get("pool-3").pid()).isEqualTo(first.get("pool-3").pid());

      PartyProcess second = PartyProcess.run(dir, "worker", "--processes", "3", "--name", "pool", "--db", db());
      assertThat(second.exitCode()).as(second.err()).isEqualTo(Main.EXIT_ALREADY_RUNNING);
      assertThat(second.err()).contains("supervisor pool is already running");

      List<ProcessHandle> before = List.copyOf(workers(supervisor).values());
      supervisor.terminate();
      assertThat(supervisor.awaitExit()).as(supervisor.err()).isEqualTo(SIGTERM_EXIT);
      assertThat(before).noneMatch(ProcessHandle::isAlive);
      assertThat(supervisor.err()).contains("[pool-1]").contains("stopping");
    }
    assertThat(restartedWorkers()).isEqualTo(1);
  }

  @Test
  void worker_processes_stop_when_their_supervisor_is_killed() throws Exception {
    List<ProcessHandle> orphans;
    try (PartyProcess supervisor = PartyProcess.start(dir, "worker", "--processes", "2", "--name", "orphan",
        "--workers", "1", "--grace", "2s", "--db", db())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.err().contains("worker orphan-1 started:")
          && supervisor.err().contains("worker orphan-2 started:"));
      orphans = List.copyOf(workers(supervisor).values());
      assertThat(orphans).hasSize(2);
      supervisor.kill(); // kill -9: no hook runs, the children are left alone
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> orphans.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void with_drain_each_process_that_finds_no_due_task_is_done_and_the_supervisor_exits() throws Exception {
    CliRun enqueued = CliRun.of("enqueue", "SampleTask", "--data", "{\"arg1\":\"drained\"}", "--db", db());
    assertThat(enqueued.exitCode()).as(enqueued.err()).isZero();

    PartyProcess supervisor = PartyProcess.run(dir, "worker", "--processes", "2", "--name", "drainer", "--drain",
        "--db", db());

    assertThat(supervisor.exitCode()).as(supervisor.err()).isZero();
    assertThat(supervisor.out()).contains("drained");
    assertThat(supervisor.err()).contains("worker drainer-1 (pid").contains("worker drainer-2 (pid")
        .doesNotContain("restarted");
    assertThat(restartedWorkers()).isZero();
  }
}
