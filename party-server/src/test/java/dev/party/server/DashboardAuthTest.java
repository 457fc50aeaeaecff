package dev.party.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.json.Json;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's login and its defences, over plain HTTP: bad tokens, read-only logins, the CSRF
 * header, cross-site requests, and the security headers on its pages. Also the two API routes the
 * dashboard added: bulk retry and throughput.
 */
class DashboardAuthTest {
  private static final String ADMIN = "admin-token-0123456789";
  private static final String READER = "read-token-0123456789";

  @TempDir Path dir;
  private SqliteStore store;
  private Party party;
  private PartyServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = SqliteStore.open(dir.resolve("party.db"));
    party = Party.builder(store).workerId("dashboard-auth-1")
        .handlers(h -> h.handler(TaskType.of("Hopeless").maxAttempts(1), JsonNode.class, context -> Outcome.giveUp("no luck"))
            .handler(TaskType.of("Other").maxAttempts(1), JsonNode.class, context -> Outcome.giveUp("nope")))
        .build();
    server = PartyServer.start(ServerConfig.defaults().port(0).tokens(List.of(
        new ApiToken(ADMIN, Set.of(ApiToken.Scope.ADMIN)), new ApiToken(READER, Set.of(ApiToken.Scope.READ)))), party, null);
  }

  @AfterEach
  void stop() {
    server.close();
    party.close();
    store.close();
    http.close();
  }

  /** A FAILED task, made on this thread: the engine is not started. */
  private TaskId failed(String handler) {
    TaskId id = party.enqueue(TaskRequest.of(handler));
    party.runNow(id);
    assertThat(party.task(id).orElseThrow().state()).isEqualTo(TaskState.FAILED);
    return id;
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    var request = HttpRequest.newBuilder(server.uri().resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) request.headers(headers);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Logs in with the token; returns the Cookie header value to send back. */
  private String logIn(String token) throws Exception {
    var response = send("POST", "/dashboard/login", "{\"token\": \"" + token + "\"}",
        "Content-Type", "application/json", "Origin", origin());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private String csrf(String cookie) throws Exception {
    var session = send("GET", "/dashboard/session", null, "Cookie", cookie);
    assertThat(session.statusCode()).isEqualTo(200);
    return Json.parse(session.body()).get("csrf").asText();
  }

  private static String error(HttpResponse<String> response) throws IOException {
    return Json.parse(response.body()).get("error").asText();
  }

  @Test
  void a_bad_token_gets_no_login_and_a_cookie_nobody_issued_is_refused() throws Exception {
    var refused = send("POST", "/dashboard/login", "{\"token\": \"not-a-token-at-all-xx\"}", "Content-Type", "application/json");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(error(refused)).isEqualTo("unauthorized");
    assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(error(send("POST", "/dashboard/login", "{\"token\": 12}"))).isEqualTo("invalid_request");
    assertThat(error(send("POST", "/dashboard/login", "{not json"))).isEqualTo("malformed_json");

    var forged = send("GET", "/tasks", null, "Cookie", "party_session_" + server.port() + "=0123abcd");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("expired");
    assertThat(send("GET", "/dashboard/session", null).statusCode()).isEqualTo(401);
  }

  @Test
  void a_read_only_login_can_look_but_every_action_is_forbidden() throws Exception {
    TaskId id = failed("Hopeless");
    String cookie = logIn(READER);
    String csrf = csrf(cookie);

    var session = Json.parse(send("GET", "/dashboard/session", null, "Cookie", cookie).body());
    assertThat(session.get("canAct").asBoolean()).isFalse();
    assertThat(session.get("scopes").toString()).isEqualTo("[\"read\"]");
    assertThat(send("GET", "/tasks/" + id.value(), null, "Cookie", cookie).statusCode()).isEqualTo(200);

    var retry = send("POST", "/tasks/" + id.value() + "/retry", null, "Cookie", cookie, "X-Party-CSRF", csrf, "Origin", origin());
    assertThat(retry.statusCode()).isEqualTo(403);
    assertThat(error(retry)).isEqualTo("forbidden");
    assertThat(send("POST", "/tasks/retry", null, "Cookie", cookie, "X-Party-CSRF", csrf).statusCode()).isEqualTo(403);
    assertThat(party.task(id).orElseThrow().state()).isEqualTo(TaskState.FAILED);
  }

  @Test
  void an_action_by_cookie_needs_the_csrf_header_and_a_same_site_origin() throws Exception {
    TaskId id = failed("Hopeless");
    String cookie = logIn(ADMIN);
    String csrf = csrf(cookie);
    String retry = "/tasks/" + id.value() + "/retry";

    var without = send("POST", retry, null, "Cookie", cookie, "Origin", origin());
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(Json.parse(without.body()).get("message").asText()).contains("X-Party-CSRF");
    assertThat(send("POST", retry, null, "Cookie", cookie, "X-Party-CSRF", csrf + "0").statusCode()).isEqualTo(403);
    assertThat(send("POST", retry, null, "Cookie", cookie, "X-Party-CSRF", csrf(logIn(ADMIN))).statusCode())
        .as("another login's secret").isEqualTo(403);
    var crossSite = send("POST", retry, null, "Cookie", cookie, "X-Party-CSRF", csrf, "Origin", "http://evil.example");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(Json.parse(crossSite.body()).get("message").asText()).contains("other sites");
    assertThat(party.task(id).orElseThrow().state()).isEqualTo(TaskState.FAILED);

    var done = send("POST", retry, null, "Cookie", cookie, "X-Party-CSRF", csrf, "Origin", origin());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(party.task(id).orElseThrow().state()).isEqualTo(TaskState.PENDING);
  }

  @Test
  void another_site_cannot_log_a_browser_in_and_a_logout_ends_the_session() throws Exception {
    var crossSite = send("POST", "/dashboard/login", "{\"token\": \"" + ADMIN + "\"}", "Origin", "http://evil.example");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();

    String cookie = logIn(ADMIN);
    assertThat(send("GET", "/status", null, "Cookie", cookie).statusCode()).isEqualTo(200);
    var logout = send("POST", "/dashboard/logout", null, "Cookie", cookie, "Origin", origin());
    assertThat(logout.statusCode()).isEqualTo(200);
    assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(send("GET", "/status", null, "Cookie", cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void pages_are_open_but_locked_down_and_unknown_files_are_json_404s() throws Exception {
    for (String page : List.of("/dashboard", "/dashboard/tasks", "/dashboard/task", "/dashboard/schedules",
        "/dashboard/workers", "/dashboard/login", "/dashboard/assets/common.js", "/dashboard/vendor/uPlot.iife.min.js")) {
      var response = send("GET", page, null);
      assertThat(response.statusCode()).as(page).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
      assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }
    assertThat(send("GET", "/dashboard", null).body()).doesNotContain("<script>").contains("src=\"/dashboard/assets/overview.js\"");
    for (String missing : List.of("/dashboard/nope", "/dashboard/assets/nope.js", "/dashboard/assets/..%2F..%2Fdashboard.css",
        "/dashboard/vendor/..%2Fpackage.json", "/dashboard/assets/common.js.map")) {
      var response = send("GET", missing, null);
      assertThat(response.statusCode()).as(missing).isEqualTo(404);
      assertThat(error(response)).isEqualTo("not_found");
    }
  }

  @Test
  void bulk_retry_puts_every_failed_task_of_a_handler_back_and_throughput_counts_per_minute() throws Exception {
    TaskId a = failed("Hopeless");
    TaskId b = failed("Hopeless");
    TaskId other = failed("Other");
    String bearer = "Bearer " + ADMIN;
    // Counted by the state a task ended in, so before they are retried; the last two minutes, in
    // case the tasks straddled a minute's turn.
    var stats = send("GET", "/stats/throughput", null, "Authorization", "Bearer " + READER);
    JsonNode buckets = Json.parse(stats.body()).get("buckets");
    assertThat(buckets).hasSize(60);
    assertThat(buckets.get(58).get("failed").asInt() + buckets.get(59).get("failed").asInt()).isEqualTo(3);
    assertThat(Json.parse(send("GET", "/stats/throughput?minutes=5", null, "Authorization", bearer).body()).get("buckets")).hasSize(5);
    assertThat(error(send("GET", "/stats/throughput?minutes=0", null, "Authorization", bearer))).isEqualTo("invalid_request");

    var one = send("POST", "/tasks/retry?state=FAILED&handler=Hopeless", null, "Authorization", bearer);
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    assertThat(Json.parse(one.body()).get("retried").asInt()).isEqualTo(2);
    assertThat(party.task(a).orElseThrow().state()).isEqualTo(TaskState.PENDING);
    assertThat(party.task(b).orElseThrow().state()).isEqualTo(TaskState.PENDING);
    assertThat(party.task(other).orElseThrow().state()).isEqualTo(TaskState.FAILED);
    assertThat(Json.parse(send("POST", "/tasks/retry", null, "Authorization", bearer).body()).get("retried").asInt()).isEqualTo(1);
    assertThat(error(send("POST", "/tasks/retry?state=PENDING", null, "Authorization", bearer))).isEqualTo("invalid_request");

  }

  @Test
  void the_login_cookie_is_named_after_the_port_and_secure_behind_an_https_proxy() throws Exception {
    String cookie = logIn(ADMIN);
    assertThat(cookie).startsWith("party_session_" + server.port() + "=");
    var proxied = send("POST", "/dashboard/login", "{\"token\": \"" + ADMIN + "\"}",
        "Content-Type", "application/json", "Origin", origin(), "X-Forwarded-Proto", "https");
    assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
    var listed = send("GET", "/tasks", null, "Cookie", cookie);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.headers().firstValue("Cache-Control")).as("task data read with a login").hasValue("no-store");
  }

  @Test
  void a_browsers_requests_on_the_unix_socket_get_the_loopback_rules_and_tools_do_not() throws Exception {
    Path socket = dir.resolve("s/party.sock");
    String task = "{\"tasks\": [{\"party\": \"Other\"}]}";
    try (PartyServer unix = PartyServer.start(ServerConfig.defaults().port(ServerConfig.NO_TCP).unixSocket(socket), party, null)) {
      assertThat(onSocket(socket, "POST", "/tasks", task, "Host: party.example", "Origin: https://evil.example"))
          .as("a cross-site form through a proxy in front of the socket").isEqualTo(403);
      assertThat(onSocket(socket, "GET", "/dashboard/session", null, "Host: evil.example", "Sec-Fetch-Site: same-origin"))
          .as("DNS rebinding: the attacker's name in Host").isEqualTo(403);
      assertThat(onSocket(socket, "POST", "/tasks", task, "Host: localhost", "Origin: http://localhost"))
          .as("a browser's POST without the CSRF secret").isEqualTo(403);
      assertThat(onSocket(socket, "POST", "/tasks", task, "Host: localhost"))
          .as("curl and the clients send no Origin").isEqualTo(201);
    }
  }

  /** One HTTP/1.1 request over the Unix socket with exactly these headers; the answer's status. */
  private static int onSocket(Path socket, String method, String path, String body, String... headers) throws IOException {
    try (var channel = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
      byte[] bytes = body == null ? new byte[0] : body.getBytes(UTF_8);
      var request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      for (String header : headers) request.append(header).append("\r\n");
      request.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
      channel.write(java.nio.ByteBuffer.wrap(request.toString().getBytes(UTF_8)));
      channel.write(java.nio.ByteBuffer.wrap(bytes));
      String answer = new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(), UTF_8);
      return Integer.parseInt(answer.substring(9, 12));
    }
  }
}
