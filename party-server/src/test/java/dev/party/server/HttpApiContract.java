package dev.party.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.client.PartyClient;
import dev.party.client.PartyClient.RawResponse;
import dev.party.client.PartyClientException;
import dev.party.client.TaskInfo;
import dev.party.client.TaskInput;
import dev.party.client.TaskPage;
import dev.party.json.Json;
import dev.party.server.metrics.PartyMetrics;
import dev.party.store.Claim;
import dev.party.store.RegisterWorker;
import dev.party.store.TaskStore;
import dev.party.task.Outcome;
import dev.party.task.SingletonPolicy;
import dev.party.task.PartyTask;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskView;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every route and every error code of the HTTP API, over real sockets: each test runs once over
 * TCP and once over the Unix socket of one server that listens on both. Subclasses supply the store.
 * The Party is not started, so nothing runs unless a test asks for it (run-now runs on the request).
 */
public abstract class HttpApiContract {
  enum Over { TCP, UNIX }

  @TempDir Path dir;
  protected TaskStore store;
  protected Party party;
  protected PartyServer server;
  private PartyClient tcp;
  private PartyClient unix;

  protected abstract TaskStore openEmptyStore(Path dir) throws Exception;

  protected void storeClosed() throws Exception {}

  @BeforeEach
  void startServer() throws Exception {
    store = openEmptyStore(dir);
    var metrics = new PartyMetrics();
    party = Party.builder(store).workerId("api-test-1").listener(metrics).handlers(h -> h
        .handler("SampleTask", context -> Outcome.done(Map.of("echo", context.data().path("arg1").asText())))
        .handler(TaskType.of("Hopeless").maxAttempts(1), JsonNode.class, context -> Outcome.giveUp("no luck"))
        .handler(TaskType.of("Capped").capacity(2), JsonNode.class, context -> Outcome.done())
        .handler(TaskType.of("Reindex").singleton(SingletonPolicy.WAIT), JsonNode.class, context -> Outcome.done())
        .handler(TaskType.of("Nightly").singleton(SingletonPolicy.SKIP), JsonNode.class, context -> Outcome.done())
        .task(TaskType.of("MonthlyBill"), MonthlyBill::new)
        .handler("Hop", context -> { // continues itself until n is 3; the last hop is an hour away
          int n = context.data().path("n").asInt();
          if (n == 3) return Outcome.done("landed");
          TaskRequest next = TaskRequest.of("Hop", Map.of("n", n + 1));
          return Outcome.then(n == 2 ? next.runIn(Duration.ofHours(1)) : next);
        }))
        .build();
    Path socket = dir.resolve("party.sock");
    server = PartyServer.start(ServerConfig.defaults().port(0).unixSocket(socket).maxBodyBytes(64 * 1024)
        .maxTasksPerPost(100), party, metrics);
    tcp = PartyClient.tcp(server.uri()).build();
    unix = PartyClient.unixSocket(socket).build();
  }

  @AfterEach
  void stopServer() throws Exception {
    tcp.close();
    unix.close();
    server.close();
    party.close();
    store.close();
    storeClosed();
  }

  /** The seeds' recurring class-style task: it says it recurs and chooses its next run. */
  public static final class MonthlyBill extends PartyTask {
    @Override public boolean isRecurring() {
      return true;
    }

    @Override protected void run() {}

    @Override protected void onComplete() {
      scheduleNextRun(Duration.ofDays(30));
    }
  }

  PartyClient client(Over over) {
    return over == Over.TCP ? tcp : unix;
  }

  static byte[] json(String text) {
    return text.getBytes(UTF_8);
  }

  static JsonNode body(RawResponse response) {
    return Json.parse(response.text());
  }

  static void assertRefused(RawResponse response, int status, String code) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(response.headers().get("content-type")).startsWith("application/json");
    JsonNode error = body(response);
    assertThat(error.get("error").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank().doesNotContain("at dev.party", "Exception:");
  }

  long stored() {
    return party.status().states().values().stream().mapToLong(Long::longValue).sum();
  }

  // ---- POST /tasks with an Idempotency-Key ----------------------------------------------------

  private HttpResponse<String> postWithKey(String key, String body) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(server.uri().resolve("/tasks"))
          .header("Content-Type", "application/json").header("Idempotency-Key", key)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @org.junit.jupiter.api.Test
  void a_post_sent_again_with_its_idempotency_key_stores_once_and_is_answered_with_the_same_tasks() throws Exception {
    String body = "{\"tasks\":[{\"party\":\"SampleTask\",\"data\":{\"arg1\":\"a\"}},{\"party\":\"SampleTask\"}]}";

    HttpResponse<String> first = postWithKey("order-77", body);
    HttpResponse<String> retry = postWithKey("order-77", body);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(Json.parse(retry.body()).findValuesAsText("id")).isEqualTo(Json.parse(first.body()).findValuesAsText("id"));
    assertThat(stored()).isEqualTo(2);
  }

  @org.junit.jupiter.api.Test
  void an_idempotency_key_reused_with_another_body_is_a_conflict() throws Exception {
    postWithKey("k-1", "{\"tasks\":[{\"party\":\"SampleTask\"}]}");

    HttpResponse<String> other = postWithKey("k-1", "{\"tasks\":[{\"party\":\"SampleTask\",\"priority\":3}]}");

    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(Json.parse(other.body()).get("error").asText()).isEqualTo("conflict");
    assertThat(stored()).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void the_java_client_sends_a_key_and_a_retry_with_it_stores_once() {
    String key = PartyClient.newIdempotencyKey();
    var first = tcp.enqueue(List.of(TaskInput.of("SampleTask", Map.of("arg1", "x"))), key);
    var again = tcp.enqueue(List.of(TaskInput.of("SampleTask", Map.of("arg1", "x"))), key);

    assertThat(again.getFirst().id()).isEqualTo(first.getFirst().id());
    assertThat(stored()).isEqualTo(1);
  }

  // ---- POST /tasks ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_posted_task_is_stored_and_answered_with_its_id_state_and_location(Over over) {
    RawResponse response = client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"arg1\": \"val1\"}}]}"));

    assertThat(response.status()).isEqualTo(201);
    JsonNode created = body(response).get("tasks").get(0);
    String id = created.get("id").asText();
    assertThat(created.get("party").asText()).isEqualTo("SampleTask");
    assertThat(created.get("state").asText()).isEqualTo("ENQUEUED");
    assertThat(created.get("location").asText()).isEqualTo("/tasks/" + id);
    assertThat(response.headers().get("location")).isEqualTo("/tasks/" + id);

    TaskInfo task = client(over).task(id);
    assertThat(task.state()).isEqualTo("ENQUEUED");
    assertThat(task.data().get("arg1").asText()).isEqualTo("val1");
    assertThat(task.attempts()).isZero();
    assertThat(task.maxAttempts()).isEqualTo(6);
    assertThat(task.log()).extracting(TaskInfo.LogLine::to).containsExactly("PENDING");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void timestamps_are_read_in_every_form_the_seeds_and_design_allow(Over over) {
    Instant future = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS);
    String naive = future.toString().replace("Z", "");
    var created = client(over).enqueue(List.of(
        TaskInput.of("SampleTask").timestamp(future.toString()),
        TaskInput.of("SampleTask").timestamp(naive),
        TaskInput.of("SampleTask").timestamp(naive.replace('T', ' ')),
        TaskInput.of("SampleTask").timestamp(future.atOffset(java.time.ZoneOffset.ofHours(5)).toString()),
        TaskInput.of("SampleTask").timestamp(future.toEpochMilli()),
        TaskInput.of("SampleTask").timestamp(Long.toString(future.toEpochMilli())),
        TaskInput.of("SampleTask").timestamp("2014-03-11T05:12:22.086400")));

    for (int i = 0; i < 6; i++) {
      assertThat(created.get(i).state()).as("task %d", i).isEqualTo("SCHEDULED");
      assertThat(client(over).task(created.get(i).id()).timestamp()).as("task %d", i).isEqualTo(future);
    }
    assertThat(created.get(6).state()).isEqualTo("ENQUEUED");
    assertThat(client(over).task(created.get(6).id()).timestamp()).isEqualTo(Instant.parse("2014-03-11T05:12:22.086400Z"));
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_posts_answer_shows_each_time_exactly_as_a_get_does_to_the_microsecond(Over over) {
    RawResponse response = client(over).exchange("POST", "/tasks", json("""
        {"tasks": [{"party": "SampleTask", "timestamp": "2014-03-11 05:12:22.086400"},
                   {"party": "SampleTask", "timestamp": "2014-03-11T06:12:22.000001+01:00"},
                   {"party": "SampleTask"},
                   {"party": "SampleTask", "in": "90 minutes"}]}"""));

    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonNode created = body(response).get("tasks");
    assertThat(created.get(0).get("timestamp").asText()).isEqualTo("2014-03-11T05:12:22.086400Z");
    assertThat(created.get(1).get("timestamp").asText()).isEqualTo("2014-03-11T05:12:22.000001Z");
    Map<String, String> listed = new HashMap<>();
    for (JsonNode task : body(client(over).exchange("GET", "/tasks?limit=10", null)).get("tasks")) {
      listed.put(task.get("id").asText(), task.get("timestamp").asText());
    }
    for (JsonNode task : created) {
      String id = task.get("id").asText();
      String got = body(client(over).exchange("GET", "/tasks/" + id, null)).get("timestamp").asText();
      assertThat(task.get("timestamp").asText()).as("task %s", id).isEqualTo(got).isEqualTo(listed.get(id));
    }
    assertThat(created.get(2).get("state").asText()).isEqualTo("ENQUEUED");
    assertThat(created.get(3).get("state").asText()).isEqualTo("SCHEDULED");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_time_finer_than_a_microsecond_is_refused_and_stores_nothing(Over over) {
    for (String bad : List.of("\"2014-03-11 05:12:22.086400123\"", "\"2014-03-11T05:12:22.0864001Z\"")) {
      RawResponse response = client(over).exchange("POST", "/tasks",
          json("{\"tasks\": [{\"party\": \"SampleTask\", \"timestamp\": " + bad + "}]}"));
      assertRefused(response, 400, "bad_timestamp");
      assertThat(body(response).get("message").asText()).contains("finer than a microsecond", "to the microsecond");
    }
    assertThat(stored()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_post_of_many_tasks_has_no_location_header_and_keeps_their_order_and_options(Over over) {
    RawResponse response = client(over).exchange("POST", "/tasks", json("""
        {"tasks": [{"party": "SampleTask", "priority": 5, "queue": "mail", "maxAttempts": 2, "uniqueKey": "u1"},
                   {"party": "Hopeless"}]}"""));
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.headers()).doesNotContainKey("location");
    JsonNode tasks = body(response).get("tasks");
    assertThat(tasks).hasSize(2);
    TaskInfo first = client(over).task(tasks.get(0).get("id").asText());
    assertThat(first.priority()).isEqualTo(5);
    assertThat(first.queue()).isEqualTo("mail");
    assertThat(first.maxAttempts()).isEqualTo(2);
    assertThat(first.uniqueKey()).isEqualTo("u1");
    assertThat(tasks.get(1).get("party").asText()).isEqualTo("Hopeless");
  }

  // ---- errors: each code, and nothing stored -------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void malformed_json_is_refused_and_stores_nothing(Over over) {
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": ")), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", new byte[0]), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\"}]} trailing")), 400, "malformed_json");
    assertThat(stored()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void data_that_cannot_be_stored_exactly_is_refused_not_changed(Over over) {
    // A lone surrogate, overlong UTF-8 for "/", an encoded surrogate (ED A0 80), a key given twice, and
    // an exponent past what a number can hold: each was once stored changed ("?", "/", the last value).
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"s\": \"a\\ud800b\"}}]}")), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"\\udc00\": 1}}]}")), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"uniqueKey\": \"\\ud800\"}]}")), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", withBytes("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"s\": \"%s\"}}]}", 0xC0, 0xAF)), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", withBytes("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"s\": \"%s\"}}]}", 0xED, 0xA0, 0x80)), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"a\": 1, \"a\": 2}}]}")), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"n\": 1e99999999999}}]}")), 400, "malformed_json");
    assertRefused(client(over).exchange("POST", "/schedules", json("{\"name\": \"s\\ud800\", \"cron\": \"* * * * *\", \"party\": \"SampleTask\"}")), 400, "malformed_json");
    assertThat(stored()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void large_numbers_emoji_and_multibyte_text_round_trip_exactly(Over over) {
    String data = "{\"big\":123456789012345678901234567890,\"huge\":1E+999999,\"tiny\":-1.5E-999999,"
        + "\"precise\":0.10000000000000000000000000001,\"one\":1.0,\"text\":\"caf\u00e9 \u65e5\u672c \ud83d\ude00\","
        + "\"escaped\":\"\\ud83d\\ude00\"}";
    RawResponse created = client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"uniqueKey\": \"\ud83d\ude00\", \"data\": " + data + "}]}"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = body(created).get("tasks").get(0).get("id").asText();

    JsonNode stored = Json.parse(party.task(dev.party.task.TaskId.of(id)).orElseThrow().data());
    assertThat(stored.get("big").bigIntegerValue()).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    assertThat(stored.get("huge").decimalValue()).isEqualTo(new java.math.BigDecimal("1E+999999"));
    assertThat(stored.get("tiny").decimalValue()).isEqualTo(new java.math.BigDecimal("-1.5E-999999"));
    assertThat(stored.get("precise").decimalValue()).isEqualTo(new java.math.BigDecimal("0.10000000000000000000000000001"));
    assertThat(stored.get("one").toString()).isEqualTo("1.0");
    assertThat(stored.get("text").asText()).isEqualTo("caf\u00e9 \u65e5\u672c \ud83d\ude00");
    assertThat(stored.get("escaped").asText()).isEqualTo("\ud83d\ude00");
    JsonNode served = body(client(over).exchange("GET", "/tasks/" + id, null));
    assertThat(served.get("data")).isEqualTo(stored);
    assertThat(served.get("uniqueKey").asText()).isEqualTo("\ud83d\ude00");
  }

  /** A JSON text with raw bytes (not UTF-8 a Java string would make) put where %s is. */
  static byte[] withBytes(String template, int... raw) {
    int at = template.indexOf("%s");
    var out = new java.io.ByteArrayOutputStream();
    out.writeBytes(template.substring(0, at).getBytes(UTF_8));
    for (int b : raw) out.write(b);
    out.writeBytes(template.substring(at + 2).getBytes(UTF_8));
    return out.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_body_of_the_wrong_shape_or_field_is_refused_with_invalid_task(Over over) {
    assertRefused(client(over).exchange("POST", "/tasks", json("[{\"party\": \"SampleTask\"}]")), 400, "invalid_task");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": []}")), 400, "invalid_task");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"data\": {}}]}")), 400, "invalid_task");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": [1]}]}")), 400, "invalid_task");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"queue\": \"a\\u0000b\"}]}")), 400, "invalid_task");
    assertRefused(client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"" + "x".repeat(201) + "\"}]}")), 400, "invalid_task");
    RawResponse typo = client(over).exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"SampleTask\", \"timestmap\": 1}]}"));
    assertRefused(typo, 400, "invalid_task");
    assertThat(body(typo).get("message").asText()).contains("tasks[0]", "did you mean \"timestamp\"");
    assertThat(stored()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_batch_key_answers_with_the_waiting_task_marked_covered_and_a_bad_key_is_refused(Over over) {
    RawResponse first = client(over).exchange("POST", "/tasks", json("""
        {"tasks": [{"party": "SampleTask", "batchKey": "digest", "data": {"n": 1}},
                   {"party": "SampleTask", "batchKey": "digest", "data": {"n": 2}}]}"""));
    assertThat(first.status()).as(first.text()).isEqualTo(201);
    JsonNode tasks = body(first).get("tasks");
    String id = tasks.get(0).get("id").asText();
    assertThat(tasks.get(0).get("covered").asBoolean()).isFalse();
    assertThat(tasks.get(1).get("id").asText()).isEqualTo(id);
    assertThat(tasks.get(1).get("covered").asBoolean()).isTrue();

    RawResponse again = client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"batchKey\": \"digest\"}]}"));
    assertThat(again.status()).as("nothing new was created").isEqualTo(200);
    assertThat(again.headers().get("location")).isEqualTo("/tasks/" + id);
    assertThat(body(again).get("tasks").get(0).get("covered").asBoolean()).isTrue();
    var viaClient = client(over).enqueue(TaskInput.of("SampleTask").batchKey("digest"));
    assertThat(viaClient.id()).isEqualTo(id);
    assertThat(viaClient.covered()).isTrue();
    assertThat(viaClient.state()).isEqualTo("ENQUEUED");
    assertThat(client(over).enqueue(TaskInput.of("SampleTask").batchKey("other")).covered()).isFalse();
    assertThat(client(over).task(id).data().get("n").asInt()).isEqualTo(1);
    assertThat(stored()).isEqualTo(2);

    for (String bad : List.of("\"\"", "\"" + "k".repeat(1001) + "\"", "\"a\\u0007b\"", "42")) {
      RawResponse refused = client(over).exchange("POST", "/tasks", json(
          "{\"tasks\": [{\"party\": \"SampleTask\"}, {\"party\": \"SampleTask\", \"batchKey\": " + bad + "}]}"));
      assertRefused(refused, 400, "invalid_task");
      assertThat(body(refused).get("message").asText()).contains("tasks[1]", "batchKey");
    }
    assertThat(stored()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void an_unknown_handler_is_refused_with_a_suggestion_and_the_whole_batch_is_stored_none(Over over) {
    RawResponse response = client(over).exchange("POST", "/tasks", json("""
        {"tasks": [{"party": "SampleTask"}, {"party": "SampleTsk"}, {"party": "SampleTask"}]}"""));
    assertRefused(response, 404, "unknown_handler");
    assertThat(body(response).get("message").asText()).contains("SampleTsk", "did you mean 'SampleTask'");
    assertThat(stored()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_delay_in_words_schedules_the_task_that_long_after_now(Over over) {
    RawResponse response = client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"in\": \"2 hours 30 minutes\"}]}"));
    assertThat(response.status()).isEqualTo(201);
    JsonNode task = body(response).get("tasks").get(0);
    assertThat(task.get("state").asText()).isEqualTo("SCHEDULED");
    TaskView stored = party.task(new TaskId(task.get("id").asText())).orElseThrow();
    assertThat(Duration.between(stored.createdAt(), stored.runAt())).isEqualTo(Duration.ofMinutes(150));

    for (String bad : List.of("\"soon\"", "90", "\"-1 day\"", "\"P-1D\"", "\"99999999999999999999 days\"", "\"400000 days\"")) {
      RawResponse refused = client(over).exchange("POST", "/tasks",
          json("{\"tasks\": [{\"party\": \"SampleTask\", \"in\": " + bad + "}]}"));
      assertRefused(refused, 400, "bad_timestamp");
    }
    assertRefused(client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"in\": \"1 day\", \"timestamp\": 0}]}")), 400, "bad_timestamp");
    assertThat(stored()).isEqualTo(1);
  }

  // ---- chains and groups -----------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_chain_and_a_group_are_stored_whole_and_run_in_order(Over over) {
    PartyClient client = client(over);
    RawResponse chain = client.exchange("POST", "/chains", json("""
        {"steps": [{"party": "SampleTask", "data": {"arg1": "first"}}, {"party": "SampleTask", "data": {"arg1": "second"}}]}"""));
    assertThat(chain.status()).as(chain.text()).isEqualTo(201);
    JsonNode steps = body(chain).get("steps");
    assertThat(steps).extracting(step -> step.get("state").asText()).containsExactly("ENQUEUED", "WAITING");
    assertThat(client.task(steps.get(1).get("id").asText()).state()).isEqualTo("WAITING");

    RawResponse group = client.exchange("POST", "/groups", json("""
        {"members": [{"party": "SampleTask"}, {"party": "SampleTask"}], "callback": {"party": "SampleTask"}}"""));
    assertThat(group.status()).as(group.text()).isEqualTo(201);
    String callback = body(group).get("callback").get("id").asText();
    assertThat(body(group).get("callback").get("state").asText()).isEqualTo("WAITING");
    assertThat(body(group).get("members")).hasSize(2);

    assertThat(party.runDue()).isEqualTo(5);
    assertThat(client.task(steps.get(1).get("id").asText()).state()).isEqualTo("FINISHED");
    assertThat(client.task(callback).state()).isEqualTo("FINISHED");

    var typed = client.chain(List.of(TaskInput.of("SampleTask"), TaskInput.of("SampleTask")));
    assertThat(typed.steps()).extracting(dev.party.client.CreatedTask::state).containsExactly("ENQUEUED", "WAITING");
    var fanOut = client.group(List.of(TaskInput.of("SampleTask")), TaskInput.of("SampleTask"));
    assertThat(fanOut.callback().state()).isEqualTo("WAITING");
    assertThat(party.runDue()).isEqualTo(4);
    assertThat(client.task(fanOut.callback().id()).state()).isEqualTo("FINISHED");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_bad_chain_or_group_is_refused_and_stores_nothing(Over over) {
    PartyClient client = client(over);
    assertRefused(client.exchange("POST", "/chains", json("{\"steps\": [{\"party\": \"SampleTask\"}]}")), 400, "invalid_task");
    RawResponse unknown = client.exchange("POST", "/chains", json("{\"steps\": [{\"party\": \"SampleTask\"}, {\"party\": \"Nobody\"}]}"));
    assertRefused(unknown, 404, "unknown_handler");
    RawResponse badStep = client.exchange("POST", "/chains", json("{\"steps\": [{\"party\": \"SampleTask\"}, {\"party\": \"SampleTask\", \"timestamp\": \"soon\"}]}"));
    assertRefused(badStep, 400, "bad_timestamp");
    assertThat(body(badStep).get("message").asText()).startsWith("steps[1]");
    assertRefused(client.exchange("POST", "/groups", json("{\"members\": [{\"party\": \"SampleTask\"}]}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/groups", json("{\"members\": [], \"callback\": {\"party\": \"SampleTask\"}}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/groups", json("{\"members\": [{\"party\": \"SampleTask\"}], \"callback\": {\"party\": \"SampleTask\"}, \"extra\": 1}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/groups", json("{\"members\": [{\"party\": \"SampleTask\"}], \"callback\": 7}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/chains", json("[1, 2]")), 400, "invalid_task");
    assertThat(stored()).isZero();
  }

  // ---- continuations -------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void the_first_task_of_a_continuation_shows_the_task_that_continued_it_and_the_last_step_with_its_state(Over over) {
    PartyClient client = client(over);
    String first = client.enqueue(TaskInput.of("Hop", Map.of("n", 0))).id();
    JsonNode alone = body(client.exchange("GET", "/tasks/" + first, null));
    assertThat(alone.get("continuedBy").isNull()).isTrue();
    assertThat(alone.get("lastStep").isNull()).isTrue();
    assertThat(party.runDue()).isEqualTo(3);

    JsonNode a = body(client.exchange("GET", "/tasks/" + first, null));
    assertThat(a.get("state").asText()).isEqualTo("FINISHED");
    assertThat(a.get("continues").isNull()).isTrue();
    String b = a.get("continuedBy").asText();
    String last = a.get("lastStep").get("id").asText();
    assertThat(a.get("lastStep").get("state").asText()).isEqualTo("SCHEDULED");
    assertThat(a.get("lastStep").get("location").asText()).isEqualTo("/tasks/" + last);
    assertThat(body(client.exchange("GET", "/tasks/" + b, null)).get("continues").asText()).isEqualTo(first);
    TaskInfo d = client.task(last);
    assertThat(d.continuedBy()).isNull();
    assertThat(d.lastStep().id()).isEqualTo(last);
    assertThat(client.task(d.continues()).continues()).isEqualTo(b);

    party.runNow(new TaskId(last));
    TaskInfo typed = client.task(first);
    assertThat(typed.continuedBy()).isEqualTo(b);
    assertThat(typed.lastStep()).isEqualTo(new TaskInfo.Step(last, "FINISHED", "/tasks/" + last));
    assertThat(client.tasks(null, "Hop", 10, null).tasks())
        .allSatisfy(listed -> assertThat(listed.lastStep()).isNull())
        .anySatisfy(listed -> assertThat(listed.continuedBy()).isEqualTo(b));
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_client_waits_for_the_whole_continuation_and_gets_its_last_step(Over over) throws Exception {
    PartyClient client = client(over);
    String first = client.enqueue(TaskInput.of("Hop", Map.of("n", 0))).id();
    party.runDue(); // three hops; the last waits an hour

    TaskInfo a = client.awaitFinal(first, Duration.ofSeconds(5));
    assertThat(a.id()).isEqualTo(first);
    assertThat(a.state()).isEqualTo("FINISHED");
    assertThatThrownBy(() -> client.awaitWork(first, Duration.ofMillis(300)))
        .isInstanceOfSatisfying(PartyClientException.class, e -> assertThat(e.code()).isEqualTo("wait_timeout"))
        .hasMessageContaining("SCHEDULED");

    ExecutorService waiting = Executors.newSingleThreadExecutor();
    try {
      Future<TaskInfo> work = waiting.submit(() -> client.awaitWork(first, Duration.ofSeconds(30)));
      party.runNow(new TaskId(a.lastStep().id()));
      TaskInfo last = work.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(last.id()).isEqualTo(a.lastStep().id());
      assertThat(last.state()).isEqualTo("FINISHED");
      assertThat(last.result().asText()).isEqualTo("landed");
    } finally {
      waiting.shutdownNow();
    }
    String plain = client.enqueue(TaskInput.of("SampleTask")).id();
    party.runDue();
    assertThat(client.awaitWork(plain, Duration.ofSeconds(5)).id()).as("a task in no continuation is its own end").isEqualTo(plain);
  }

  // ---- worker registry -------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void workers_are_listed_live_or_dead_with_their_running_tasks_in_workers_and_status(Over over) {
    PartyClient client = client(over);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    store.registerWorker(new RegisterWorker("api-test-1", "here", 11, List.of("default"), 4, "9.9", Duration.ofSeconds(10), now));
    store.registerWorker(new RegisterWorker("gone-1", "there", 12, List.of(), 2, null, Duration.ofSeconds(10),
        now.minus(Duration.ofMinutes(5))));
    String id = client.enqueue(TaskInput.of("SampleTask")).id();
    assertThat(store.claim(new Claim("api-test-1", Set.of("SampleTask"), null, 1, Duration.ofMinutes(1), null, Map.of())))
        .hasSize(1);

    JsonNode workers = body(client.exchange("GET", "/workers", null)).get("workers");
    assertThat(workers).extracting(w -> w.get("name").asText()).containsExactly("api-test-1", "gone-1");
    JsonNode live = workers.get(0);
    assertThat(live.get("state").asText()).isEqualTo("live");
    assertThat(live.get("host").asText()).isEqualTo("here");
    assertThat(live.get("pid").asLong()).isEqualTo(11);
    assertThat(live.get("queues")).extracting(JsonNode::asText).containsExactly("default");
    assertThat(live.get("slots").asInt()).isEqualTo(4);
    assertThat(live.get("version").asText()).isEqualTo("9.9");
    assertThat(live.get("heartbeatMillis").asLong()).isEqualTo(10_000);
    assertThat(live.get("startedAt").asText()).isEqualTo(now.toString());
    assertThat(live.get("stoppedAt").isNull()).isTrue();
    assertThat(live.get("running").asInt()).isEqualTo(1);
    assertThat(live.get("runningTasks")).extracting(JsonNode::asText).containsExactly(id);
    JsonNode dead = workers.get(1);
    assertThat(dead.get("state").asText()).isEqualTo("dead");
    assertThat(dead.get("version").isNull()).isTrue();
    assertThat(dead.get("running").asInt()).isZero();

    JsonNode status = body(client.exchange("GET", "/status", null));
    assertThat(status.get("total_workers").asInt()).isEqualTo(party.config().slots());
    assertThat(status.get("workers")).extracting(w -> w.get("name").asText() + " " + w.get("host").asText() + " "
        + w.get("state").asText() + " " + w.get("running").asInt())
        .containsExactly("api-test-1 here live 1", "gone-1 there dead 0");
    assertThat(status.get("workers").get(1).get("last_heartbeat").asText())
        .isEqualTo(now.minus(Duration.ofMinutes(5)).toString());
  }

  // ---- paused queues ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_queue_is_paused_listed_and_resumed_and_run_now_still_runs_its_tasks(Over over) {
    PartyClient client = client(over);
    RawResponse posted = client.exchange("POST", "/tasks", json("""
        {"tasks": [{"party": "SampleTask", "queue": "video"}, {"party": "SampleTask", "queue": "video"},
                   {"party": "SampleTask"}]}"""));
    assertThat(posted.status()).isEqualTo(201);

    JsonNode paused = body(client.exchange("POST", "/queues/video/pause", null));
    assertThat(paused.get("name").asText()).isEqualTo("video");
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(paused.get("pausedAt").asText()).isNotBlank();
    assertThat(paused.get("pending").asInt()).isEqualTo(2);

    JsonNode queues = body(client.exchange("GET", "/queues", null)).get("queues");
    assertThat(queues).extracting(q -> q.get("name").asText() + " " + q.get("paused").asBoolean() + " " + q.get("pending").asInt())
        .containsExactly("default false 1", "video true 2");

    assertThat(party.runDue()).as("only the default queue's task runs").isEqualTo(1);
    String video = body(posted).get("tasks").get(0).get("id").asText();
    assertThat(client.runNow(video).state()).as("run now is explicit: it runs a paused queue's task").isEqualTo("FINISHED");

    JsonNode resumed = body(client.exchange("POST", "/queues/video/resume", null));
    assertThat(resumed.get("paused").asBoolean()).isFalse();
    assertThat(resumed.get("pausedAt").isNull()).isTrue();
    assertThat(party.runDue()).isEqualTo(1);

    assertRefused(client.exchange("POST", "/queues/%20video/pause", null), 400, "invalid_request");
  }

  // ---- schedules -------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_schedule_is_added_listed_paused_resumed_triggered_and_removed(Over over) {
    PartyClient client = client(over);
    RawResponse added = client.exchange("POST", "/schedules", json("""
        {"name": "nightly report", "party": "SampleTask", "data": {"arg1": "x"}, "cron": "0 3 * * *",
         "zone": "Europe/Berlin", "misfire": "catch_up"}"""));
    assertThat(added.status()).as(added.text()).isEqualTo(201);
    assertThat(added.headers().get("location")).isEqualTo("/schedules/nightly%20report");
    JsonNode schedule = body(added);
    assertThat(schedule.get("cron").asText()).isEqualTo("0 3 * * *");
    assertThat(schedule.get("zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(schedule.get("misfire").asText()).isEqualTo("catch_up");
    assertThat(schedule.get("overlap").asText()).isEqualTo("skip");
    assertThat(schedule.get("data").get("arg1").asText()).isEqualTo("x");
    assertThat(Instant.parse(schedule.get("nextRunAt").asText())).isAfter(Instant.now());

    RawResponse every = client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"every\": \"90 minutes\"}"));
    assertThat(body(every).get("name").asText()).isEqualTo("SampleTask");
    assertThat(body(every).get("every").asText()).isEqualTo("PT1H30M");

    JsonNode listed = body(client.exchange("GET", "/schedules", null));
    assertThat(listed.get("schedules")).extracting(node -> node.get("name").asText()).containsExactly("SampleTask", "nightly report");
    assertThat(body(client.exchange("GET", "/status", null)).get("recurring"))
        .extracting(node -> node.get("_id").asText()).containsExactly("SampleTask", "nightly report");

    assertThat(body(client.exchange("POST", "/schedules/nightly%20report/pause", null)).get("paused").asBoolean()).isTrue();
    assertThat(body(client.exchange("GET", "/schedules/nightly%20report", null)).get("paused").asBoolean()).isTrue();
    assertThat(body(client.exchange("POST", "/schedules/nightly%20report/resume", null)).get("paused").asBoolean()).isFalse();

    RawResponse triggered = client.exchange("POST", "/schedules/nightly%20report/trigger", null);
    assertThat(triggered.status()).isEqualTo(201);
    String task = body(triggered).get("id").asText();
    assertThat(client.task(task).state()).isEqualTo("ENQUEUED");
    assertThat(body(client.exchange("GET", "/schedules/nightly%20report", null)).get("lastTaskId").asText()).isEqualTo(task);

    assertThat(body(client.exchange("DELETE", "/schedules/nightly%20report", null)).get("removed").asBoolean()).isTrue();
    assertThat(body(client.exchange("DELETE", "/schedules/nightly%20report", null)).get("removed").asBoolean()).isFalse();
    assertRefused(client.exchange("GET", "/schedules/nightly%20report", null), 404, "not_found");
    assertRefused(client.exchange("POST", "/schedules/nope/trigger", null), 404, "not_found");
    assertRefused(client.exchange("POST", "/schedules/nope/pause", null), 404, "not_found");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void status_lists_recurring_class_style_tasks_beside_schedules(Over over) {
    PartyClient client = client(over);
    client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"every\": \"1 hour\"}"));
    TaskId bill = party.enqueue(TaskRequest.of("MonthlyBill", Map.of("customer", 42)));
    party.enqueue(TaskRequest.of("SampleTask"));

    JsonNode recurring = client.status().get("recurring");

    assertThat(recurring).extracting(node -> node.get("_id").asText()).containsExactly("SampleTask", bill.value());
    assertThat(recurring.get(0).get("kind").asText()).isEqualTo("schedule");
    JsonNode task = recurring.get(1);
    assertThat(task.get("kind").asText()).isEqualTo("task");
    assertThat(task.get("party").asText()).isEqualTo("MonthlyBill");
    assertThat(Instant.parse(task.get("next_run").asText())).isEqualTo(party.task(bill).orElseThrow().runAt());
    assertThat(task.get("last_run_on").isNull()).isTrue();

    client.runNow(bill.value());
    assertThat(party.task(bill).orElseThrow().state()).isEqualTo(TaskState.FINISHED);
    JsonNode afterRun = client.status().get("recurring");
    assertThat(afterRun).as("the next run, stored as this one finished, takes its place").hasSize(2);
    assertThat(afterRun.get(1).get("_id").asText()).isNotEqualTo(bill.value());
    assertThat(afterRun.get(1).get("last_run_on").isNull()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_bad_or_duplicate_schedule_is_refused_and_changes_nothing(Over over) {
    PartyClient client = client(over);
    assertThat(client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"every\": \"1 hour\"}")).status())
        .isEqualTo(201);
    RawResponse duplicate = client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"every\": \"5 minutes\"}"));
    assertRefused(duplicate, 409, "conflict");
    assertThat(body(duplicate).get("message").asText()).contains("already exists");
    RawResponse renamed = client.exchange("POST", "/schedules",
        json("{\"party\": \"SampleTask\", \"name\": \"another-name\", \"data\": {}, \"every\": \"5 minutes\"}"));
    assertRefused(renamed, 409, "conflict");
    assertThat(body(renamed).get("message").asText()).contains("schedule 'SampleTask'", "one recurring task per handler and data");

    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": \"Nobody\", \"every\": \"1 hour\"}")), 404, "unknown_handler");
    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"name\": \"b\", \"cron\": \"61 * * * *\"}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"name\": \"b\", \"cron\": \"0 3 * * *\", \"zone\": \"Mars/Olympus\"}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"name\": \"b\"}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"name\": \"b\", \"every\": \"1 hour\", \"cron\": \"0 3 * * *\"}")), 400, "invalid_task");
    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"name\": \"b\", \"every\": \"soon\"}")), 400, "bad_timestamp");
    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"name\": \"b\", \"every\": \"1 hour\", \"overlap\": \"sometimes\"}")), 400, "invalid_task");
    RawResponse typo = client.exchange("POST", "/schedules", json("{\"party\": \"SampleTask\", \"name\": \"b\", \"evry\": \"1 hour\"}"));
    assertRefused(typo, 400, "invalid_task");
    assertThat(body(typo).get("message").asText()).contains("did you mean \"every\"");
    assertRefused(client.exchange("POST", "/schedules", json("{\"party\": ")), 400, "malformed_json");

    assertThat(body(client.exchange("GET", "/schedules", null)).get("schedules")).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_bad_timestamp_is_refused_and_names_the_task(Over over) {
    for (String bad : List.of("\"yesterday\"", "\"2014-13-01T00:00:00\"", "true", "1.5",
        "99999999999999999999", "9223372036854775807", "\"+10000-01-01T00:00:00Z\"")) {
      RawResponse response = client(over).exchange("POST", "/tasks",
          json("{\"tasks\": [{\"party\": \"SampleTask\"}, {\"party\": \"SampleTask\", \"timestamp\": " + bad + "}]}"));
      assertRefused(response, 400, "bad_timestamp");
      assertThat(body(response).get("message").asText()).startsWith("tasks[1]");
    }
    assertThat(stored()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void too_large_a_body_or_too_many_tasks_is_refused_and_the_server_goes_on(Over over) {
    byte[] big = json("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": {\"pad\": \"" + "x".repeat(70_000) + "\"}}]}");
    assertRefused(client(over).exchange("POST", "/tasks", big), 413, "too_large");
    String many = IntStream.range(0, 101).mapToObj(i -> "{\"party\": \"SampleTask\"}")
        .collect(java.util.stream.Collectors.joining(",", "{\"tasks\": [", "]}"));
    RawResponse response = client(over).exchange("POST", "/tasks", json(many));
    assertRefused(response, 413, "too_large");
    assertThat(body(response).get("message").asText()).contains("101 tasks", "limit is 100");
    assertThat(stored()).isZero();
    assertThat(client(over).enqueue(TaskInput.of("SampleTask")).state()).isEqualTo("ENQUEUED");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void past_a_handlers_capacity_the_post_is_refused_with_queue_full_and_retry_after(Over over) {
    client(over).enqueue(List.of(TaskInput.of("Capped"), TaskInput.of("Capped")));
    RawResponse response = client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\"}, {\"party\": \"Capped\"}]}"));
    assertRefused(response, 429, "queue_full");
    assertThat(response.headers().get("retry-after")).isEqualTo("1");
    assertThat(stored()).isEqualTo(2);
    assertThatThrownBy(() -> client(over).enqueue(TaskInput.of("Capped")))
        .isInstanceOfSatisfying(PartyClientException.class, e -> {
          assertThat(e.code()).isEqualTo("queue_full");
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        });
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void what_jetty_refuses_on_either_transport_carries_a_json_error_with_a_fitting_code(Over over) throws Exception {
    String[][] cases = {
        {"GET /health\r\n\r\n", "505", "http_version_not_supported"},
        {"GET /health HTTP/1.7\r\nHost: localhost\r\n\r\n", "505", "http_version_not_supported"},
        {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "505", "http_version_not_supported"},
        {"DELETE /tasks/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "400", "invalid_request"},
        {"DELETE /tasks/%u0041 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "400", "invalid_request"},
        {"DELETE /tasks/a%2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "400", "invalid_request"},
        {"DELETE /tasks/..%2F..%2Fetc HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "404", "not_found"},
        {"CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\nConnection: close\r\n\r\n", "405", "method_not_allowed"},
        {"OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "405", "method_not_allowed"},
    };
    for (String[] c : cases) {
      String answer = raw(over, c[0]);
      String request = c[0].lines().findFirst().orElseThrow();
      assertThat(answer).as(request).startsWith("HTTP/1.1 " + c[1] + " ");
      int split = answer.indexOf("\r\n\r\n");
      assertThat(answer.substring(0, split).toLowerCase()).as(request).contains("content-type: application/json");
      JsonNode error = Json.parse(answer.substring(split + 4));
      assertThat(error.get("error").asText()).as(request).isEqualTo(c[2]);
      assertThat(error.get("message").asText()).as(request).isNotBlank().doesNotContain("Exception");
    }
    assertThat(client(over).healthy()).isTrue();
  }

  /** Writes the bytes as they are and reads the answer until the server closes (5 s at most). */
  String raw(Over over, String request) throws Exception {
    var channel = over == Over.TCP
        ? java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", server.port()))
        : java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(server.unixSocket()));
    try (channel) {
      channel.write(java.nio.ByteBuffer.wrap(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
      var received = new java.io.ByteArrayOutputStream();
      var read = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          java.nio.channels.Channels.newInputStream(channel).transferTo(received);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      try {
        read.get(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return "(not closed in 5 s) " + received.toString(UTF_8);
      }
      return received.toString(UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void unknown_ids_and_routes_are_not_found_and_wrong_methods_not_allowed(Over over) {
    assertRefused(client(over).exchange("GET", "/tasks/ffffffffffffffffffffffff", null), 404, "not_found");
    assertRefused(client(over).exchange("GET", "/tasks/not-an-id", null), 404, "not_found");
    assertRefused(client(over).exchange("DELETE", "/tasks/ffffffffffffffffffffffff", null), 404, "not_found");
    assertRefused(client(over).exchange("POST", "/task/ffffffffffffffffffffffff", null), 404, "not_found");
    assertRefused(client(over).exchange("POST", "/tasks/ffffffffffffffffffffffff/retry", null), 404, "not_found");
    assertRefused(client(over).exchange("GET", "/nothing-here", null), 404, "not_found");
    assertRefused(client(over).exchange("PUT", "/tasks", json("{}")), 405, "method_not_allowed");
  }

  // ---- POST /tasks/retry, GET /stats/throughput (the dashboard's) -------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void failed_tasks_count_in_the_throughput_and_come_back_all_at_once_with_bulk_retry(Over over) {
    var failed = client(over).enqueue(IntStream.range(0, 3).mapToObj(i -> TaskInput.of("Hopeless")).toList());
    for (var task : failed) assertThat(client(over).runNow(task.id()).state()).isEqualTo("FAILED");
    String finished = client(over).enqueue(TaskInput.of("SampleTask")).id();
    client(over).runNow(finished);

    JsonNode buckets = body(client(over).exchange("GET", "/stats/throughput?minutes=3", null)).get("buckets");
    assertThat(buckets).hasSize(3);
    int failedCount = 0;
    int finishedCount = 0;
    for (JsonNode bucket : buckets) {
      failedCount += bucket.get("failed").asInt();
      finishedCount += bucket.get("finished").asInt();
    }
    assertThat(failedCount).isEqualTo(3);
    assertThat(finishedCount).isEqualTo(1);

    assertThat(body(client(over).exchange("POST", "/tasks/retry?state=FAILED&handler=SampleTask", null))
        .get("retried").asInt()).isZero();
    assertThat(body(client(over).exchange("POST", "/tasks/retry?state=FAILED", null)).get("retried").asInt()).isEqualTo(3);
    assertThat(client(over).tasks("FAILED", null, 10, null).tasks()).isEmpty();
    assertThat(client(over).task(failed.getFirst().id()).log().getLast().message()).contains("retried by request");
    assertRefused(client(over).exchange("POST", "/tasks/retry?state=RUNNING", null), 400, "invalid_request");
    assertRefused(client(over).exchange("GET", "/stats/throughput?minutes=2000", null), 400, "invalid_request");
  }

  // ---- GET /tasks ----------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void the_listing_filters_by_state_and_handler_and_pages_with_a_cursor(Over over) {
    var ids = client(over).enqueue(IntStream.range(0, 5).mapToObj(i -> TaskInput.of("SampleTask")).toList());
    client(over).enqueue(TaskInput.of("Hopeless"));
    client(over).cancel(ids.get(0).id());

    TaskPage first = client(over).tasks("PENDING", "SampleTask", 3, null);
    assertThat(first.tasks()).extracting(TaskInfo::id).containsExactly(ids.get(4).id(), ids.get(3).id(), ids.get(2).id());
    assertThat(first.tasks()).allSatisfy(task -> assertThat(task.log()).isEmpty());
    TaskPage second = client(over).tasks("PENDING", "SampleTask", 3, first.next());
    assertThat(second.tasks()).extracting(TaskInfo::id).containsExactly(ids.get(1).id());
    assertThat(second.next()).isNull();
    assertThat(client(over).tasks("cancelled", null, 10, null).tasks()).extracting(TaskInfo::id)
        .containsExactly(ids.get(0).id());
    assertThat(client(over).tasks(null, null, 1000, null).tasks()).hasSize(6);

    assertRefused(client(over).exchange("GET", "/tasks?state=SLEEPING", null), 400, "invalid_request");
    assertRefused(client(over).exchange("GET", "/tasks?limit=0", null), 400, "invalid_request");
    assertRefused(client(over).exchange("GET", "/tasks?limit=many", null), 400, "invalid_request");
    assertRefused(client(over).exchange("GET", "/tasks?cursor=xyz", null), 400, "invalid_request");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_limit_key_is_read_and_refused_for_a_handler_without_limits(Over over) {
    RawResponse refused = client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"limitKey\": \"customer-1\"}]}"));
    assertRefused(refused, 400, "invalid_task");
    assertThat(body(refused).get("message").asText()).contains("limitKey 'customer-1'", "no concurrency or rate limit");
    assertRefused(client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"limitKey\": \" \"}]}")), 400, "invalid_task");
    assertThat(stored()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_key_the_tasks_handler_does_not_take_is_refused_naming_the_task_by_its_index(Over over) {
    PartyClient client = client(over);
    for (String task : List.of("{\"party\": \"SampleTask\", \"singletonKey\": \"a\"}",
        "{\"party\": \"SampleTask\", \"limitKey\": \"k\"}", "{\"party\": \"Reindex\", \"batchKey\": \"b\"}")) {
      boolean batch = task.contains("batchKey");
      if (!batch) {
        assertNamed(client.exchange("POST", "/tasks", json("{\"tasks\": [" + task + "]}")), "tasks[0]: ");
        assertNamed(client.exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"Reindex\"}, " + task + "]}")),
            "tasks[1]: ");
      }
      assertNamed(client.exchange("POST", "/chains", json("{\"steps\": [{\"party\": \"Reindex\"}, " + task + "]}")),
          "steps[1]: ");
      assertNamed(client.exchange("POST", "/groups",
          json("{\"members\": [{\"party\": \"Reindex\"}, " + task + "], \"callback\": {\"party\": \"Nightly\"}}")),
          "members[1]: ");
      assertNamed(client.exchange("POST", "/groups",
          json("{\"members\": [{\"party\": \"Reindex\"}], \"callback\": " + task + "}")), "callback: ");
    }
    assertThat(stored()).isZero();
  }

  private static void assertNamed(RawResponse refused, String name) {
    assertRefused(refused, 400, "invalid_task");
    assertThat(body(refused).get("message").asText()).startsWith(name)
        .containsAnyOf("singletonKey 'a'", "limitKey 'k'", "no batch key ('b')");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void a_singleton_key_is_stored_shown_and_holds_a_second_task_back_while_the_first_runs(Over over) {
    PartyClient client = client(over);
    RawResponse posted = client.exchange("POST", "/tasks", json("""
        {"tasks": [{"party": "Reindex", "singletonKey": "db-1", "priority": 3, "queue": "maint"}]}"""));
    assertThat(posted.status()).as(posted.text()).isEqualTo(201);
    String first = body(posted).get("tasks").get(0).get("id").asText();
    TaskInfo shown = client.task(first);
    assertThat(shown.singletonKey()).isEqualTo("db-1");
    assertThat(shown.priority()).isEqualTo(3);
    assertThat(shown.queue()).isEqualTo("maint");
    String second = client.enqueue(TaskInput.of("Reindex").singletonKey("db-1")).id();
    assertThat(second).as("unlike a batch key, a singleton key stores every task").isNotEqualTo(first);
    assertThat(body(client.exchange("GET", "/tasks?handler=Reindex", null)).get("tasks"))
        .extracting(task -> task.get("singletonKey").asText()).containsExactly("db-1", "db-1");

    // As through the Java API: while one task with the key runs (on another node), the other waits (WAIT).
    assertThat(store.claim(new Claim("other-node", Set.of("Reindex"), null, 1, Duration.ofMinutes(1), null, Map.of())))
        .extracting(claimed -> claimed.task().id().value()).containsExactly(first);
    assertRefused(client.exchange("POST", "/task/" + second, null), 409, "conflict");
    assertThat(party.runDue()).isZero();
    assertThat(client.task(second).state()).isEqualTo("ENQUEUED");
    String otherKey = client.enqueue(TaskInput.of("Reindex").singletonKey("db-2")).id();
    party.runDue();
    assertThat(client.task(otherKey).state()).isEqualTo("FINISHED");
    assertThat(client.task(second).state()).isEqualTo("ENQUEUED");

    // SKIP: the one held back is finished as skipped.
    String running = client.enqueue(TaskInput.of("Nightly").singletonKey("report")).id();
    assertThat(store.claim(new Claim("other-node", Set.of("Nightly"), null, 1, Duration.ofMinutes(1), null, Map.of())))
        .extracting(claimed -> claimed.task().id().value()).containsExactly(running);
    String skipped = client.enqueue(TaskInput.of("Nightly").singletonKey("report")).id();
    party.runDue();
    TaskInfo skippedTask = client.task(skipped);
    assertThat(skippedTask.state()).isEqualTo("FINISHED");
    assertThat(skippedTask.result().get("skipped").asBoolean()).isTrue();
    assertThat(skippedTask.attempts()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void chains_and_groups_take_keys_per_task_and_a_bad_key_stores_nothing(Over over) {
    PartyClient client = client(over);
    RawResponse chain = client.exchange("POST", "/chains", json("""
        {"steps": [{"party": "Reindex", "singletonKey": "db-3"}, {"party": "Reindex", "singletonKey": "db-3", "priority": 2}]}"""));
    assertThat(chain.status()).as(chain.text()).isEqualTo(201);
    TaskInfo step = client.task(body(chain).get("steps").get(1).get("id").asText());
    assertThat(step.singletonKey()).isEqualTo("db-3");
    assertThat(step.priority()).isEqualTo(2);
    RawResponse group = client.exchange("POST", "/groups", json("""
        {"members": [{"party": "Reindex", "singletonKey": "db-4", "queue": "maint"}],
         "callback": {"party": "Nightly", "singletonKey": "n-1", "instanceKey": "cb-1"}}"""));
    assertThat(group.status()).as(group.text()).isEqualTo(201);
    TaskInfo callback = client.task(body(group).get("callback").get("id").asText());
    assertThat(callback.singletonKey()).isEqualTo("n-1");
    assertThat(callback.instanceKey()).isEqualTo("cb-1");
    TaskInfo member = client.task(body(group).get("members").get(0).get("id").asText());
    assertThat(member.singletonKey()).isEqualTo("db-4");
    assertThat(member.queue()).isEqualTo("maint");
    long before = stored();

    for (String bad : List.of("\"singletonKey\": \"\"", "\"singletonKey\": \" \"", "\"singletonKey\": 7",
        "\"singletonKey\": null", "\"limitKey\": \"\"", "\"priority\": \"high\"", "\"priority\": 1.5",
        "\"priority\": 3000000000", "\"queue\": \"\"")) {
      String task = "{\"party\": \"Reindex\", " + bad + "}";
      assertRefused(client.exchange("POST", "/tasks", json("{\"tasks\": [{\"party\": \"Reindex\"}, " + task + "]}")),
          400, "invalid_task");
      assertRefused(client.exchange("POST", "/chains", json("{\"steps\": [{\"party\": \"Reindex\"}, " + task + "]}")),
          400, "invalid_task");
      assertRefused(client.exchange("POST", "/groups", json("{\"members\": [" + task + "], \"callback\": {\"party\": \"Nightly\"}}")),
          400, "invalid_task");
    }
    RawResponse notSingleton = client.exchange("POST", "/groups", json("""
        {"members": [{"party": "Reindex"}], "callback": {"party": "SampleTask", "singletonKey": "x"}}"""));
    assertRefused(notSingleton, 400, "invalid_task");
    assertThat(body(notSingleton).get("message").asText()).contains("not a singleton handler");
    assertThat(stored()).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void an_instance_key_is_stored_and_looked_up_and_a_second_one_is_a_conflict(Over over) {
    RawResponse created = client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"instanceKey\": \"Task001\"}]}"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = body(created).get("tasks").get(0).get("id").asText();

    RawResponse found = client(over).exchange("GET", "/tasks?handler=SampleTask&instance=Task001", null);
    assertThat(found.status()).isEqualTo(200);
    JsonNode tasks = body(found).get("tasks");
    assertThat(tasks).hasSize(1);
    assertThat(tasks.get(0).get("id").asText()).isEqualTo(id);
    assertThat(tasks.get(0).get("instanceKey").asText()).isEqualTo("Task001");
    assertThat(body(client(over).exchange("GET", "/tasks/" + id, null)).get("instanceKey").asText()).isEqualTo("Task001");
    assertThat(body(client(over).exchange("GET", "/tasks?handler=SampleTask&instance=Task002", null)).get("tasks")).isEmpty();
    assertThat(body(client(over).exchange("GET", "/tasks?handler=Hopeless&instance=Task001", null)).get("tasks")).isEmpty();
    assertThat(body(client(over).exchange("GET", "/tasks?handler=SampleTask&instance=Task001&state=FAILED", null))
        .get("tasks")).isEmpty();

    RawResponse again = client(over).exchange("POST", "/tasks", json(
        "{\"tasks\": [{\"party\": \"Hopeless\"}, {\"party\": \"SampleTask\", \"instanceKey\": \"Task001\"}]}"));
    assertRefused(again, 409, "conflict");
    assertThat(body(again).get("message").asText()).contains("instance key 'Task001'");
    assertRefused(client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"instanceKey\": \" \"}]}")), 400, "invalid_task");
    assertRefused(client(over).exchange("POST", "/tasks",
        json("{\"tasks\": [{\"party\": \"SampleTask\", \"instanceKey\": 7}]}")), 400, "invalid_task");
    assertRefused(client(over).exchange("GET", "/tasks?instance=Task001", null), 400, "invalid_request");
    assertThat(stored()).isEqualTo(1);
  }

  // ---- DELETE, retry, run now ----------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void delete_cancels_an_unfinished_task_and_a_final_one_is_a_conflict(Over over) {
    String id = client(over).enqueue(TaskInput.of("SampleTask")).id();
    TaskInfo cancelled = client(over).cancel(id);
    assertThat(cancelled.state()).isEqualTo("CANCELLED");
    assertThat(cancelled.log()).extracting(TaskInfo.LogLine::to).containsExactly("PENDING", "CANCELLED");
    assertRefused(client(over).exchange("DELETE", "/tasks/" + id, null), 409, "conflict");
    assertRefused(client(over).exchange("POST", "/task/" + id, null), 409, "conflict");
    assertThat(client(over).task(id).state()).isEqualTo("CANCELLED");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void delete_with_purge_removes_a_final_task_and_its_log_and_refuses_an_unfinished_one(Over over) {
    PartyClient client = client(over);
    String finished = client.enqueue(TaskInput.of("SampleTask")).id();
    assertThat(client.runNow(finished).state()).isEqualTo("FINISHED");
    RawResponse purged = client.exchange("DELETE", "/tasks/" + finished + "?purge=true", null);
    assertThat(purged.status()).as(purged.text()).isEqualTo(200);
    assertThat(body(purged).get("purged").asBoolean()).isTrue();
    assertThat(body(purged).get("id").asText()).isEqualTo(finished);
    assertRefused(client.exchange("GET", "/tasks/" + finished, null), 404, "not_found");
    assertThat(store.log(new TaskId(finished))).isEmpty();
    assertRefused(client.exchange("DELETE", "/tasks/" + finished + "?purge=true", null), 404, "not_found");

    String waiting = client.enqueue(TaskInput.of("SampleTask")).id();
    RawResponse refused = client.exchange("DELETE", "/tasks/" + waiting + "?purge=true", null);
    assertRefused(refused, 409, "conflict");
    assertThat(body(refused).get("message").asText()).contains("is PENDING", "cancel it first");
    assertRefused(client.exchange("DELETE", "/tasks/" + waiting + "?purge=yes", null), 400, "invalid_request");
    assertThat(client.task(waiting).state()).as("a refused purge changes nothing").isEqualTo("ENQUEUED");
    assertThat(client.exchange("DELETE", "/tasks/" + waiting + "?purge=false", null).status()).isEqualTo(200);
    assertThat(client.task(waiting).state()).isEqualTo("CANCELLED");
    client.purge(waiting);
    assertThatThrownBy(() -> client.task(waiting)).isInstanceOf(PartyClientException.class);

    RawResponse chain = client.exchange("POST", "/chains", json("{\"steps\": [{\"party\": \"SampleTask\"}, {\"party\": \"SampleTask\"}]}"));
    String first = body(chain).get("steps").get(0).get("id").asText();
    client.runNow(first);
    RawResponse needed = client.exchange("DELETE", "/tasks/" + first + "?purge=true", null);
    assertRefused(needed, 409, "conflict");
    assertThat(body(needed).get("message").asText()).contains("chain step or group member");
    assertThat(client.task(first).state()).isEqualTo("FINISHED");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void run_now_runs_a_scheduled_task_on_the_request_and_answers_with_its_outcome(Over over) {
    String id = client(over).enqueue(TaskInput.of("SampleTask", Map.of("arg1", "now"))
        .at(Instant.now().plus(Duration.ofDays(1)))).id();
    assertThat(client(over).task(id).state()).isEqualTo("SCHEDULED");

    TaskInfo ran = client(over).runNow(id);
    assertThat(ran.state()).isEqualTo("FINISHED");
    assertThat(ran.attempts()).isEqualTo(1);
    assertThat(ran.result().get("echo").asText()).isEqualTo("now");
    assertThat(ran.log()).extracting(TaskInfo.LogLine::to).containsExactly("PENDING", "RUNNING", "FINISHED");
    assertRefused(client(over).exchange("POST", "/task/" + id, null), 409, "conflict");
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void retry_puts_a_failed_task_back_and_refuses_any_other(Over over) {
    String id = client(over).enqueue(TaskInput.of("Hopeless")).id();
    assertThat(client(over).runNow(id).state()).isEqualTo("FAILED");

    TaskInfo retried = client(over).retry(id);
    assertThat(retried.state()).isEqualTo("ENQUEUED");
    assertThat(retried.attempts()).isZero();
    assertThat(retried.error()).contains("no luck");
    RawResponse again = client(over).exchange("POST", "/tasks/" + id + "/retry", null);
    assertRefused(again, 409, "conflict");
    assertThat(body(again).get("message").asText()).contains("only a FAILED task");
  }

  // ---- status, health, metrics ---------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Over.class)
  void status_has_the_seeds_field_names(Over over) {
    var created = client(over).enqueue(List.of(TaskInput.of("SampleTask"), TaskInput.of("SampleTask"),
        TaskInput.of("Hopeless"), TaskInput.of("Capped")));
    client(over).runNow(created.get(2).id());
    client(over).runNow(created.get(3).id());

    JsonNode status = client(over).status();
    assertThat(status.fieldNames()).toIterable().contains("recurring", "completed", "failed", "total_workers",
        "debug", "undumped", "last_run_on", "pending", "restarted_workers");
    assertThat(status.get("pending")).hasSize(1);
    assertThat(status.get("pending").get(0).get("_id").asText()).isEqualTo("SampleTask");
    assertThat(status.get("pending").get(0).get("count").asLong()).isEqualTo(2);
    assertThat(status.get("pending").get(0).get("upcoming").asText()).isEqualTo(created.get(0).id());
    assertThat(status.get("failed").get(0).get("_id").asText()).isEqualTo("Hopeless");
    assertThat(status.get("undumped").get(0).get("_id").asText()).isEqualTo("Capped");
    assertThat(status.get("completed").asLong()).as("dumped or archived by the cleanup").isZero();
    assertThat(status.get("last_run_on").asText()).isEqualTo("Unavailable");
    assertThat(status.get("total_workers").asInt()).isEqualTo(party.config().workers());
    assertThat(status.get("states").get("PENDING").asLong()).isEqualTo(2);
    assertThat(status.get("states").get("FINISHED").asLong()).isEqualTo(1);

    party.cleanup();
    JsonNode afterCleanup = client(over).status();
    assertThat(afterCleanup.get("last_run_on").asText()).isNotEqualTo("Unavailable");
    assertThat(afterCleanup.get("cleanup").get("total_completed").asLong()).isZero();
    assertThat(afterCleanup.get("undumped").get(0).get("count").asLong()).as("within its retention").isEqualTo(1);
    assertThat(status.get("restarted_workers").asLong()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void status_counts_the_restarts_of_every_supervisor(Over over) {
    store.recordRestart("elsewhere-supervisor");
    store.recordRestart("here-supervisor");
    assertThat(client(over).status().get("restarted_workers").asLong()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Over.class)
  void health_is_ok_and_metrics_are_prometheus_text(Over over) {
    assertThat(client(over).healthy()).isTrue();
    String id = client(over).enqueue(TaskInput.of("SampleTask")).id();
    client(over).enqueue(TaskInput.of("SampleTask"));
    client(over).runNow(id);

    String metrics = client(over).metrics();
    assertThat(metrics)
        .contains("party_tasks_enqueued_total 2.0")
        .contains("party_tasks_started_total{handler=\"SampleTask\"} 1.0")
        .contains("party_tasks_finished_total{handler=\"SampleTask\"} 1.0")
        .contains("party_queue_depth{handler=\"SampleTask\"} 1.0")
        .contains("party_tasks{state=\"FINISHED\"} 1.0")
        .contains("party_task_run_seconds_bucket{handler=\"SampleTask\"");
  }

  // ---- load --------------------------------------------------------------------------------

  @org.junit.jupiter.api.Test
  void a_thousand_concurrent_single_task_posts_from_fifty_threads_are_all_stored_once() throws Exception {
    int threads = 50;
    int perThread = 20;
    var client = tcp;
    Set<String> ids = ConcurrentHashMap.newKeySet();
    AtomicInteger serverErrors = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            var response = client.exchange("POST", "/tasks", ("{\"tasks\": [{\"party\": \"SampleTask\", \"data\": "
                + "{\"thread\": %d, \"n\": %d}}]}").formatted(thread, i).getBytes(UTF_8));
            if (response.status() >= 500) serverErrors.incrementAndGet();
            assertThat(response.status()).as(response.text()).isEqualTo(201);
            ids.add(Json.parse(response.text()).get("tasks").get(0).get("id").asText());
          }
          return null;
        }));
      }
      for (Future<?> future : futures) future.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(serverErrors).hasValue(0);
    assertThat(ids).hasSize(threads * perThread);
    var stored = party.tasks(TaskQuery.all().limit(1000));
    assertThat(stored).hasSize(1000);
    assertThat(stored).extracting(task -> task.id().value()).containsExactlyInAnyOrderElementsOf(ids);
    Set<String> pairs = new java.util.HashSet<>();
    for (var task : stored) {
      JsonNode data = Json.parse(task.data());
      assertThat(pairs.add(data.get("thread").asInt() + "/" + data.get("n").asInt())).isTrue();
    }
  }

  // ---- the socket ----------------------------------------------------------------------------

  @org.junit.jupiter.api.Test
  void the_unix_socket_is_owner_and_group_only() throws Exception {
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(server.unixSocket())))
        .isEqualTo("rw-rw----");
  }
}
