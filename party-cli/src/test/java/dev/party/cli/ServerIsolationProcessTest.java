package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.client.PartyClient;
import dev.party.client.TaskInput;
import dev.party.store.sqlite.SqliteStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code party server} that runs no handler in its own JVM ({@code --workers 0} beside a {@code party
 * worker}, or {@code --processes N}): a handler calling {@code System.exit} kills a worker process,
 * never the API.
 */
@Tag("slow")
class ServerIsolationProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Map<String, String> CRASHING = Map.of(CrashingTasksModule.ENABLED, "1");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private String db() {
    return dir.resolve("party.db").toString();
  }

  private static URI uri(PartyProcess server) throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> LISTENING.matcher(server.err()).find());
    Matcher matcher = LISTENING.matcher(server.err());
    assertThat(matcher.find()).isTrue();
    return URI.create(matcher.group(1));
  }

  private HttpResponse<String> send(URI base, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private long restartedWorkers() {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.restartedWorkers();
    }
  }

  @Test
  void with_workers_0_tasks_run_in_the_worker_process_and_its_system_exit_leaves_the_api_up() throws Exception {
    try (PartyProcess server = PartyProcess.start(dir, CRASHING, "server", "--workers", "0", "--db", db(), "--port", "0");
        PartyProcess worker = PartyProcess.start(dir, CRASHING, "worker", "--name", "outside", "--workers", "2",
            "--grace", "1s", "--db", db())) {
      URI base = uri(server);
      try (var client = PartyClient.tcp(base).build()) {
        String sample = client.enqueue(TaskInput.of("SampleTask", Map.of("arg1", "ran-in-the-worker"))).id();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.task(sample).state().equals("FINISHED"));
        assertThat(worker.out()).contains("ran-in-the-worker");
        assertThat(server.out()).doesNotContain("ran-in-the-worker");
        assertThat(client.status().get("total_workers").asInt()).isZero();

        String later = client.enqueue(TaskInput.of("SampleTask", Map.of("arg1", "later")).at(java.time.Instant.parse("2099-01-01T00:00:00Z"))).id();
        HttpResponse<String> runNow = send(base, "POST", "/task/" + later);
        assertThat(runNow.statusCode()).isEqualTo(409);
        assertThat(runNow.body()).contains("\"error\":\"conflict\"").contains("runs no handlers");

        client.enqueue(TaskInput.of("Exit", Map.of("code", 3)));
        assertThat(worker.awaitExit()).as(worker.err()).isEqualTo(3);
        assertThat(send(base, "GET", "/health").statusCode()).isEqualTo(200);
        assertThat(server.isAlive()).isTrue();
      }
    }
  }

  @Test
  void with_processes_1_a_system_exit_kills_the_child_which_is_restarted_and_the_api_stays_up() throws Exception {
    try (PartyProcess server = PartyProcess.start(dir, CRASHING, "server", "--processes", "1", "--workers", "1",
        "--name", "api", "--grace", "1s", "--max-crashes", "1", "--db", db(), "--port", "0")) {
      URI base = uri(server);
      try (var client = PartyClient.tcp(base).build()) {
        String exit = client.enqueue(TaskInput.of("Exit", Map.of("code", 3))).id();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.task(exit).state().equals("FAILED"));
        assertThat(client.task(exit).error()).startsWith("crashed its worker 1 times (exit code 3)");
        assertThat(restartedWorkers()).isEqualTo(1);
        assertThat(send(base, "GET", "/health").statusCode()).isEqualTo(200);

        String sample = client.enqueue(TaskInput.of("SampleTask", Map.of("arg1", "after-the-restart"))).id();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.task(sample).state().equals("FINISHED"));
        assertThat(server.out()).contains("[api-1] ").contains("after-the-restart");
      }
      server.terminate();
      assertThat(server.awaitExit()).as(server.err()).isEqualTo(143);
    }
  }
}
