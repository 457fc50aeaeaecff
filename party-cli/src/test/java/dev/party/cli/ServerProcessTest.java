package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.client.PartyClient;
import dev.party.client.TaskInput;
import dev.party.store.sqlite.SqliteStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code party server} as a real child JVM: the README's main command, over TCP and a Unix socket. */
@Tag("slow")
class ServerProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  @Test
  void the_server_runs_posted_tasks_over_tcp_and_the_socket_and_stops_cleanly_on_sigterm() throws Exception {
    Path socket = dir.resolve("party.sock");
    try (PartyProcess server = PartyProcess.start(dir, "server", "--db", dir.resolve("party.db").toString(),
        "--port", "0", "--socket", socket.toString())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> LISTENING.matcher(server.err()).find());
      Matcher matcher = LISTENING.matcher(server.err());
      assertThat(matcher.find()).isTrue();

      try (var tcp = PartyClient.tcp(URI.create(matcher.group(1))).build();
          var unix = PartyClient.unixSocket(socket).build()) {
        String overTcp = tcp.enqueue(TaskInput.of("SampleTask", Map.of("arg1", "over-tcp"))).id();
        String overUnix = unix.enqueue(TaskInput.of("SampleTask", Map.of("arg1", "over-unix"))).id();
        await().atMost(Duration.ofSeconds(30)).until(() ->
            unix.task(overTcp).state().equals("FINISHED") && tcp.task(overUnix).state().equals("FINISHED"));
        assertThat(server.out()).contains("over-tcp", "over-unix");
        assertThat(tcp.status().get("states").get("FINISHED").asLong()).isEqualTo(2);
        assertThat(tcp.metrics()).contains("party_tasks_finished_total{handler=\"SampleTask\"} 2.0");
      }

      server.terminate();
      // 143 = 128 + SIGTERM: how a JVM ends on SIGTERM once its shutdown hooks are done.
      assertThat(server.awaitExit()).as(server.err()).isEqualTo(143);
      assertThat(server.err()).contains("stopped; peak resident memory");
      assertThat(socket).doesNotExist();
    }
  }

  @Test
  void sigterm_lets_a_running_task_finish_within_the_grace_and_puts_a_longer_one_back_uncounted() throws Exception {
    Path db = dir.resolve("party.db");
    String shortTask;
    String longTask;
    try (PartyProcess server = PartyProcess.start(dir, "server", "--db", db.toString(), "--port", "0",
        "--grace", "6s")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> LISTENING.matcher(server.err()).find());
      Matcher matcher = LISTENING.matcher(server.err());
      assertThat(matcher.find()).isTrue();
      try (var client = PartyClient.tcp(URI.create(matcher.group(1))).build()) {
        shortTask = client.enqueue(TaskInput.of("SlowTask", Map.of("seconds", 3))).id();
        longTask = client.enqueue(TaskInput.of("SlowTask", Map.of("seconds", 60))).id();
        // SlowTask reports progress each second: a third done is a second or more into its three.
        await().atMost(Duration.ofSeconds(30)).until(() ->
            client.task(shortTask).progress() >= 33 && client.task(longTask).state().equals("RUNNING"));
      }
      server.terminate();
      assertThat(server.awaitExit()).as(server.err()).isEqualTo(143);
      assertThat(server.err()).contains("stopping: 2 tasks running, waiting up to 6 s for them to finish")
          .contains("grace period over: interrupting 1 task still running")
          .doesNotContain("ignored the interrupt");
    }
    try (var store = dev.party.store.sqlite.SqliteStore.open(db)) {
      var finished = store.get(dev.party.task.TaskId.of(shortTask)).orElseThrow();
      assertThat(finished.state()).isEqualTo(dev.party.task.TaskState.FINISHED);
      assertThat(finished.attempts()).isEqualTo(1);
      var putBack = store.get(dev.party.task.TaskId.of(longTask)).orElseThrow();
      assertThat(putBack.state()).isEqualTo(dev.party.task.TaskState.PENDING);
      assertThat(putBack.attempts()).isZero();
    }
  }

  @Test
  void a_public_bind_without_a_token_is_refused_before_anything_is_created() throws Exception {
    PartyProcess server = PartyProcess.run(dir, "server", "--db", dir.resolve("data/party.db").toString(),
        "--host", "0.0.0.0", "--port", "0");
    assertThat(server.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(server.err()).contains("bad_config").contains("no API token is set");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void a_server_refused_for_a_taken_port_or_socket_leaves_no_worker_behind() throws Exception {
    Path db = dir.resolve("party.db");
    Path socket = dir.resolve("taken.sock");
    try (ServerSocket port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      unix.bind(UnixDomainSocketAddress.of(socket));
      PartyProcess onPort = PartyProcess.run(dir, "server", "--db", db.toString(), "--name", "web-1",
          "--port", Integer.toString(port.getLocalPort()));
      PartyProcess onSocket = PartyProcess.run(dir, "server", "--db", db.toString(), "--name", "web-2",
          "--port", "0", "--socket", socket.toString());

      for (PartyProcess refused : new PartyProcess[] {onPort, onSocket}) {
        assertThat(refused.exitCode()).as(refused.err()).isNotZero();
        assertThat(refused.err()).doesNotContain("stopping", "stopped", "Exception");
      }
      assertThat(onPort.err()).contains("cannot listen on 127.0.0.1:" + port.getLocalPort());
      assertThat(onPort.err().strip().lines()).as(onPort.err()).hasSize(1);
    }
    try (var store = SqliteStore.open(db)) {
      assertThat(store.workers(null)).isEmpty();
    }
    CliRun workers = CliRun.of("workers", "--db", db.toString());
    assertThat(workers.out()).doesNotContain("web-1", "web-2");
  }

  @Test
  void a_second_server_under_a_running_workers_name_says_so_in_one_line_before_it_listens() throws Exception {
    Path db = dir.resolve("party.db");
    try (PartyProcess first = PartyProcess.start(dir, "server", "--db", db.toString(), "--name", "web-1", "--port", "0")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> LISTENING.matcher(first.err()).find());
      PartyProcess second = PartyProcess.run(dir, "server", "--db", db.toString(), "--name", "web-1", "--port", "0");
      assertThat(second.exitCode()).as(second.err()).isEqualTo(Main.EXIT_ALREADY_RUNNING);
      assertThat(second.err().strip().lines()).as(second.err()).singleElement()
          .satisfies(line -> assertThat(line).contains("web-1"));
      first.terminate();
      assertThat(first.awaitExit()).isEqualTo(143);
    }
  }

  @Test
  void a_bad_token_file_names_each_bad_line() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# scopes token\nadmin 0123456789abcdef0123\nwrite 0123456789abcdef0123\nadmin short\n");
    PartyProcess server = PartyProcess.run(dir, "server", "--db", dir.resolve("party.db").toString(),
        "--port", "0", "--token-file", tokens.toString());
    assertThat(server.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(server.err()).contains("line 3: unknown token scope 'write'").contains("line 4: an API token needs at least 16");
  }
}
