package dev.party.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.client.PartyClient;
import dev.party.client.PartyClientException;
import dev.party.client.TaskInput;
import dev.party.error.ConfigException;
import dev.party.json.Json;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.Outcome;
import dev.party.task.TaskQuery;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auth, limits under load, and the server's start and stop, on the SQLite store. */
class PartyServerTest {
  private static final String ADMIN = "admin-token-0123456789";
  private static final String READER = "read-token-0123456789";
  private static final String ENQUEUER = "enqueue-token-0123456789";

  @TempDir Path dir;
  private SqliteStore store;
  private Party party;
  private final java.util.List<AutoCloseable> closing = new java.util.ArrayList<>();
  private final java.util.concurrent.CountDownLatch blocking = new java.util.concurrent.CountDownLatch(1);
  private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

  @BeforeEach
  void openParty() {
    store = SqliteStore.open(dir.resolve("party.db"));
    party = Party.builder(store).workerId("server-test-1")
        .handlers(h -> h.handler("SampleTask", context -> Outcome.done())
            .handler("Blocking", context -> {
              blocking.countDown();
              release.await();
              return Outcome.done();
            })).build();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing.reversed()) c.close();
    party.close();
    store.close();
  }

  private <T extends AutoCloseable> T closing(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  private Path socketPath() {
    return dir.resolve("sockets").resolve("party-" + System.nanoTime() + ".sock");
  }

  private PartyServer start(ServerConfig config) {
    return closing(PartyServer.start(config, party, null));
  }

  // ---- auth ----------------------------------------------------------------------------------

  @Test
  void with_tokens_tcp_needs_one_with_the_routes_scope_and_the_unix_socket_needs_none() {
    Path socket = socketPath();
    PartyServer server = start(ServerConfig.defaults().port(0).unixSocket(socket).tokens(List.of(
        new ApiToken(ADMIN, Set.of(ApiToken.Scope.ADMIN)),
        new ApiToken(READER, Set.of(ApiToken.Scope.READ)),
        new ApiToken(ENQUEUER, Set.of(ApiToken.Scope.ENQUEUE)))));
    var anonymous = closing(PartyClient.tcp(server.uri()).build());
    var wrong = closing(PartyClient.tcp(server.uri()).token("not-a-token-at-all-xx").build());
    var reader = closing(PartyClient.tcp(server.uri()).token(READER).build());
    var enqueuer = closing(PartyClient.tcp(server.uri()).token(ENQUEUER).build());
    var admin = closing(PartyClient.tcp(server.uri()).token(ADMIN).build());
    var unix = closing(PartyClient.unixSocket(socket).build());

    var refused = anonymous.exchange("GET", "/status", null);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.headers().get("www-authenticate")).startsWith("Bearer");
    assertThat(Json.parse(refused.text()).get("error").asText()).isEqualTo("unauthorized");
    assertThat(code(() -> wrong.status())).isEqualTo("unauthorized");
    assertThat(code(() -> anonymous.enqueue(TaskInput.of("SampleTask")))).isEqualTo("unauthorized");
    assertThat(anonymous.healthy()).isTrue();

    assertThat(code(() -> reader.enqueue(TaskInput.of("SampleTask")))).isEqualTo("forbidden");
    String id = enqueuer.enqueue(TaskInput.of("SampleTask")).id();
    assertThat(reader.task(id).state()).isEqualTo("ENQUEUED");
    assertThat(code(() -> enqueuer.cancel(id))).isEqualTo("forbidden");
    assertThat(code(() -> reader.runNow(id))).isEqualTo("forbidden");
    assertThat(admin.runNow(id).state()).isEqualTo("FINISHED");
    assertThat(reader.exchange("GET", "/workers", null).status()).isEqualTo(200);
    assertThat(anonymous.exchange("GET", "/workers", null).status()).isEqualTo(401);
    assertThat(reader.exchange("GET", "/queues", null).status()).isEqualTo(200);
    assertThat(reader.exchange("POST", "/queues/video/pause", null).status()).isEqualTo(403);
    assertThat(admin.exchange("POST", "/queues/video/pause", null).status()).isEqualTo(200);
    assertThat(admin.exchange("POST", "/queues/video/resume", null).status()).isEqualTo(200);
    assertThat(unix.enqueue(TaskInput.of("SampleTask")).state()).isEqualTo("ENQUEUED");
    assertThat(party.tasks(TaskQuery.all())).hasSize(2);
  }

  private static String code(Runnable call) {
    try {
      call.run();
    } catch (PartyClientException e) {
      return e.code();
    }
    throw new AssertionError("the call was not refused");
  }

  @Test
  void without_tokens_only_loopback_hosts_and_origins_are_served_so_web_pages_cannot_drive_the_api() throws Exception {
    PartyServer server = start(ServerConfig.defaults().port(0));
    String body = "{\"tasks\":[{\"party\":\"SampleTask\"}]}";
    String post = "POST /tasks HTTP/1.1\r\nHost: %s\r\n%sContent-Type: text/plain\r\nContent-Length: " + body.length()
        + "\r\nConnection: close\r\n\r\n" + body;
    // DNS rebinding: a page at evil.example whose name now points at 127.0.0.1.
    assertThat(raw(server, post.formatted("evil.example:" + server.port(), ""))).startsWith("HTTP/1.1 403");
    // A cross-site form post from a page on another site.
    assertThat(raw(server, post.formatted("127.0.0.1:" + server.port(), "Origin: http://evil.example\r\n")))
        .startsWith("HTTP/1.1 403").contains("\"forbidden\"");
    assertThat(party.tasks(TaskQuery.all())).isEmpty();
    // Tools that are not browsers send no Origin and need nothing more.
    assertThat(raw(server, post.formatted("localhost:" + server.port(), ""))).startsWith("HTTP/1.1 201");
    // A browser's state change (it names an Origin) must echo the server's CSRF secret, which only
    // its own dashboard pages can read: another local page (a dev server on :3000) cannot.
    assertThat(raw(server, post.formatted("[::1]:" + server.port(), "Origin: http://localhost:3000\r\n")))
        .startsWith("HTTP/1.1 403").contains("X-Party-CSRF");
    String session = raw(server, "GET /dashboard/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    String csrf = Json.parse(session.substring(session.indexOf("\r\n\r\n") + 4)).get("csrf").asText();
    assertThat(raw(server, post.formatted("[::1]:" + server.port(),
        "Origin: http://localhost:" + server.port() + "\r\nX-Party-CSRF: " + csrf + "\r\n"))).startsWith("HTTP/1.1 201");
    assertThat(party.tasks(TaskQuery.all())).hasSize(2);
  }

  @Test
  void a_trailing_slash_asks_for_the_same_scope_as_the_route_it_reaches() {
    PartyServer server = start(ServerConfig.defaults().port(0)
        .tokens(List.of(new ApiToken(ENQUEUER, Set.of(ApiToken.Scope.ENQUEUE)))));
    var enqueuer = closing(PartyClient.tcp(server.uri()).token(ENQUEUER).build());
    var response = enqueuer.exchange("POST", "/tasks/", "{\"tasks\": [{\"party\": \"SampleTask\"}]}".getBytes(UTF_8));
    assertThat(response.status()).as(response.text()).isEqualTo(201);
  }

  private static String raw(PartyServer server, String request) throws java.io.IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(request.getBytes(UTF_8));
      return new String(socket.getInputStream().readAllBytes(), UTF_8);
    }
  }

  @Test
  void a_server_reachable_from_other_machines_refuses_to_start_without_a_token() {
    assertThatThrownBy(() -> start(ServerConfig.defaults().host("0.0.0.0").port(0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no API token is set");
    assertThatThrownBy(() -> new ApiToken("short", Set.of(ApiToken.Scope.ADMIN)))
        .hasMessageContaining("at least 16 characters");
    PartyServer open = start(ServerConfig.defaults().host("0.0.0.0").port(0)
        .tokens(List.of(new ApiToken(ADMIN, Set.of(ApiToken.Scope.ADMIN)))));
    assertThat(open.port()).isPositive();
  }

  @Test
  void a_config_that_listens_nowhere_or_holds_bad_values_lists_every_problem() {
    assertThatThrownBy(() -> ServerConfig.defaults().port(ServerConfig.NO_TCP).maxBodyBytes(10).maxTasksPerPost(0)
        .dashboardLogin(java.time.Duration.ofSeconds(5)).validate())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("listens nowhere")
        .hasMessageContaining("maxBodyBytes")
        .hasMessageContaining("maxTasksPerPost")
        .hasMessageContaining("dashboardLogin");
  }

  // ---- the socket file -----------------------------------------------------------------------

  @Test
  void a_stale_socket_is_replaced_a_live_one_or_any_other_file_is_refused_and_close_removes_it() throws Exception {
    Path socket = socketPath();
    Files.createDirectories(socket.getParent());
    try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      dead.bind(java.net.UnixDomainSocketAddress.of(socket)); // closed without removing its file, as a crash does
    }
    assertThat(socket).exists();
    PartyServer first = start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(socket));
    assertThat(first.uri()).isNull();
    assertThat(closing(PartyClient.unixSocket(socket).build()).healthy()).isTrue();

    assertThatThrownBy(() -> start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(socket)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("another server is listening on " + socket);
    first.close();
    first.close();
    assertThat(socket).doesNotExist();

    Path precious = dir.resolve("precious.db");
    Files.writeString(precious, "a database someone typed instead of the socket path");
    assertThatThrownBy(() -> start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(precious)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("exists and is not a socket");
    assertThat(precious).hasContent("a database someone typed instead of the socket path");
  }

  @Test
  void of_servers_started_on_one_socket_path_at_once_one_listens_and_the_others_leave_its_socket_alone() throws Exception {
    Path socket = socketPath();
    int racers = 4;
    var barrier = new CyclicBarrier(racers);
    ExecutorService threads = Executors.newFixedThreadPool(racers);
    try {
      List<Future<PartyServer>> starts = new java.util.ArrayList<>();
      for (int i = 0; i < racers; i++) {
        starts.add(threads.submit(() -> {
          barrier.await();
          return start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(socket));
        }));
      }
      int listening = 0;
      for (Future<PartyServer> started : starts) {
        try {
          started.get();
          listening++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(ConfigException.class)
              .hasMessageContaining("another server is listening on " + socket);
        }
      }
      assertThat(listening).isEqualTo(1);
      assertThat(closing(PartyClient.unixSocket(socket).build()).healthy()).isTrue();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void a_start_that_fails_after_claiming_the_socket_frees_the_path() {
    PartyServer tcp = start(ServerConfig.defaults().port(0));
    Path socket = socketPath();
    assertThatThrownBy(() -> start(ServerConfig.defaults().port(tcp.port()).unixSocket(socket)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot listen on");
    assertThat(socket).doesNotExist();
    start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(socket));
    assertThat(socket).exists();
  }

  @Test
  void a_socket_folder_others_may_write_to_is_refused() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(shared.resolve("p.sock"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("writable by no one else");
    Path fresh = dir.resolve("fresh/party.sock");
    start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(fresh));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.getParent())))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void past_the_in_flight_bound_a_request_waits_then_gets_503_busy_with_retry_after() throws Exception {
    PartyServer server = start(ServerConfig.defaults().port(0).maxInFlight(1).maxQueueWait(java.time.Duration.ofMillis(200)));
    var client = closing(PartyClient.tcp(server.uri()).build());
    String id = client.enqueue(TaskInput.of("Blocking")).id();
    var running = Thread.ofPlatform().start(() -> client.runNow(id)); // holds the only slot
    try {
      blocking.await();
      var busy = client.exchange("GET", "/status", null);
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.headers().get("retry-after")).isEqualTo("1");
      assertThat(busy.headers().get("content-type")).startsWith("application/json");
      assertThat(Json.parse(busy.text()).get("error").asText()).isEqualTo("busy");
    } finally {
      release.countDown();
      running.join();
    }
    assertThat(client.task(id).state()).isEqualTo("FINISHED");
    assertThat(client.status().get("states").get("FINISHED").asLong()).isEqualTo(1);
  }

  @Test
  void trickling_clients_without_a_token_leave_the_api_answering_and_lose_their_connections() throws Exception {
    java.time.Duration queueWait = java.time.Duration.ofSeconds(2);
    java.time.Duration headerTimeout = java.time.Duration.ofSeconds(2);
    java.time.Duration bodyGrace = java.time.Duration.ofSeconds(1);
    PartyServer server = start(ServerConfig.defaults().port(0)
        .tokens(List.of(new ApiToken(ADMIN, Set.of(ApiToken.Scope.ADMIN))))
        .maxQueueWait(queueWait).headerTimeout(headerTimeout).bodyGrace(bodyGrace));
    List<Socket> tricklers = new java.util.concurrent.CopyOnWriteArrayList<>();
    var closedByServer = new java.util.concurrent.CountDownLatch(150);
    var drip = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 150; i++) {
        Socket socket = closing(new Socket("127.0.0.1", server.port()));
        tricklers.add(socket);
        // Most send a login whose body never comes; every tenth never finishes its headers.
        String start = i % 10 == 0 ? "POST /dashboard/login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            : "POST /dashboard/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{";
        socket.getOutputStream().write(start.getBytes(UTF_8));
        Thread.ofVirtual().start(() -> {
          try {
            socket.getInputStream().readAllBytes(); // returns once the server closes
            closedByServer.countDown();
          } catch (java.io.IOException reset) {
            closedByServer.countDown();
          }
        });
      }
      // One byte per connection every half second: never idle, never done.
      drip.scheduleAtFixedRate(() -> tricklers.forEach(socket -> {
        try {
          socket.getOutputStream().write('x');
        } catch (java.io.IOException closed) {
          tricklers.remove(socket);
        }
      }), 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);

      var http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(1)).build();
      var health = HttpRequest.newBuilder(server.uri().resolve("/health")).timeout(java.time.Duration.ofSeconds(1)).build();
      var post = HttpRequest.newBuilder(server.uri().resolve("/tasks")).timeout(java.time.Duration.ofSeconds(1))
          .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"tasks\": [{\"party\": \"SampleTask\"}]}")).build();
      // Every probe answers within a second for as long as the trickling lasts.
      org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(3)).atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(200)).until(() ->
              http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200
                  && http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode() == 201);

      // Each trickler is answered (408 or 503) or cut, and its connection closed, within the deadlines.
      java.time.Duration deadline = queueWait.plus(bodyGrace).plus(headerTimeout).plusSeconds(2);
      assertThat(closedByServer.await(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
          .as("%d of 150 trickling connections still open", closedByServer.getCount()).isTrue();
    } finally {
      drip.shutdownNow();
    }
  }

  @Test
  void a_body_that_comes_too_slowly_is_answered_408_request_timeout() throws Exception {
    PartyServer server = start(ServerConfig.defaults().port(0).bodyGrace(java.time.Duration.ofMillis(500)));
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("POST /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"tasks\"").getBytes(UTF_8));
      String answer = new String(socket.getInputStream().readAllBytes(), UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("application/json").contains("\"error\":\"request_timeout\"");
    }
    assertThat(party.tasks(TaskQuery.all())).isEmpty();
  }

  @Test
  void close_lets_a_request_in_flight_finish_while_new_connections_are_refused() throws Exception {
    PartyServer server = start(ServerConfig.defaults().port(0));
    int port = server.port();
    var client = closing(PartyClient.tcp(server.uri()).build());
    String id = client.enqueue(TaskInput.of("Blocking")).id();
    var answer = new java.util.concurrent.CompletableFuture<String>();
    Thread.ofPlatform().start(() -> {
      try {
        answer.complete(client.runNow(id).state());
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    });
    blocking.await();
    var closing = Thread.ofPlatform().start(server::close);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> refusesConnections(port));
    assertThat(answer).isNotDone();

    release.countDown();
    assertThat(answer.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("FINISHED");
    closing.join(10_000);
    assertThat(closing.isAlive()).isFalse();
  }

  private static boolean refusesConnections(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return false;
    } catch (java.io.IOException refused) {
      return true;
    }
  }

  @Test
  void what_jetty_refuses_before_the_api_is_json_too() throws Exception {
    PartyServer server = start(ServerConfig.defaults().port(0));
    String hugeHeader = raw(server, "GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(20_000)
        + "\r\nConnection: close\r\n\r\n");
    assertThat(hugeHeader).startsWith("HTTP/1.1 431").contains("application/json").contains("\"error\":\"too_large\"");
    String badPath = raw(server, "GET /tasks/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(badPath).startsWith("HTTP/1.1 400").contains("application/json").contains("\"error\":\"invalid_request\"");
  }

  @Test
  void a_taken_port_is_a_clear_config_error() {
    PartyServer first = start(ServerConfig.defaults().port(0));
    assertThatThrownBy(() -> start(ServerConfig.defaults().port(first.port())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
  }

  // ---- load and hostile bodies ---------------------------------------------------------------

  @Test
  void a_store_that_stops_answering_is_503_store_unavailable_without_details_and_the_server_stays_up() {
    PartyServer server = start(ServerConfig.defaults().port(0));
    var client = closing(PartyClient.tcp(server.uri()).build());
    store.close(); // every store call fails from now on, as in an outage

    var health = client.exchange("GET", "/health", null);
    assertThat(health.status()).isEqualTo(503);
    assertThat(Json.parse(health.text()).get("error").asText()).isEqualTo("store_unavailable");
    assertThat(Json.parse(health.text()).get("message").asText())
        .isEqualTo(dev.party.server.api.ErrorMapper.STORE_UNAVAILABLE_MESSAGE);
    var post = client.exchange("POST", "/tasks", "{\"tasks\": [{\"party\": \"SampleTask\"}]}".getBytes(UTF_8));
    assertThat(post.status()).isEqualTo(503);
    assertThat(post.headers().get("retry-after")).isEqualTo("1");
    assertThat(Json.parse(post.text()).get("error").asText()).isEqualTo("store_unavailable");
    assertThat(post.text()).doesNotContain("\tat ", "Exception");
    assertThat(client.exchange("GET", "/nothing", null).status()).isEqualTo(404);
  }

  @Test
  void a_fifty_megabyte_body_is_refused_with_too_large_and_the_server_goes_on_serving() throws Exception {
    PartyServer server = start(ServerConfig.defaults().port(0));
    byte[] fifty = new byte[50 * 1024 * 1024];
    java.util.Arrays.fill(fifty, (byte) ' ');

    // The client asks first (Expect: 100-continue), so the refusal comes before the body is sent.
    var client = closing(PartyClient.tcp(server.uri()).build());
    var refused = client.exchange("POST", "/tasks", fifty);
    assertThat(refused.status()).isEqualTo(413);
    assertThat(Json.parse(refused.text()).get("error").asText()).isEqualTo("too_large");

    // A client that does not ask: the server answers 413 and closes once it has read its fill.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
          + fifty.length + "\r\n\r\n").getBytes(UTF_8));
      out.flush();
      String head = readHead(socket.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 413");
    }

    // A chunked body has no length to check; it is read until it passes the limit.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("POST /tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(UTF_8));
      byte[] chunk = ("10000\r\n" + " ".repeat(0x10000) + "\r\n").getBytes(UTF_8);
      for (int i = 0; i < 17; i++) out.write(chunk);
      out.flush();
      assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 413");
    }

    assertThat(client.enqueue(TaskInput.of("SampleTask")).state()).isEqualTo("ENQUEUED");
    assertThat(party.tasks(TaskQuery.all())).hasSize(1);
  }

  private static String readHead(InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.toString().endsWith("\r\n\r\n")) break;
    }
    return head.toString();
  }
}
