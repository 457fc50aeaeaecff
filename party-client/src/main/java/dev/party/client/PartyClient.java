package dev.party.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * A client for Party's HTTP API over TCP or a Unix domain socket. Thread-safe; keeps connections
 * alive between calls. Every refusal is a {@link PartyClientException} with the server's error code.
 *
 * <pre>{@code
 * try (PartyClient party = PartyClient.tcp(URI.create("http://127.0.0.1:8032")).build()) {
 *   CreatedTask task = party.enqueue(TaskInput.of("SampleTask", Map.of("arg1", "val1")));
 *   TaskInfo info = party.task(task.id());
 * }
 * }</pre>
 */
public final class PartyClient implements AutoCloseable {
  /** How long a call waits for the server. Default: 30 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** How often {@link #awaitFinal} and {@link #awaitWork} ask for the task again. Default: 200 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

  private final ObjectMapper json = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private final Transport transport;
  private final String token;
  private final Duration pollInterval;

  private PartyClient(Transport transport, String token, Duration pollInterval) {
    this.transport = transport;
    this.token = token;
    this.pollInterval = pollInterval;
  }

  /** A client for a server listening on TCP, e.g. {@code http://127.0.0.1:8032}. */
  public static Builder tcp(URI baseUri) {
    return new Builder(baseUri, null);
  }

  /** A client for a server listening on a Unix domain socket, e.g. {@code party-data/party.sock}. */
  public static Builder unixSocket(Path socket) {
    return new Builder(null, socket);
  }

  public static final class Builder {
    private final URI baseUri;
    private final Path socket;
    private String token;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    private Builder(URI baseUri, Path socket) {
      this.baseUri = baseUri;
      this.socket = socket;
    }

    /** A bearer token, sent on every call. */
    public Builder token(String value) {
      this.token = value;
      return this;
    }

    /**
     * How long a call waits for its answer, over TCP or the Unix socket (run-now waits as long as
     * the task runs). Default: 30 seconds.
     */
    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /** How often {@link #awaitFinal} and {@link #awaitWork} ask again. Default: 200 ms. */
    public Builder pollInterval(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, got " + value);
      }
      this.pollInterval = value;
      return this;
    }

    public PartyClient build() {
      Transport transport = socket != null ? new UnixSocketTransport(socket, timeout) : new TcpTransport(baseUri, timeout);
      return new PartyClient(transport, token, pollInterval);
    }
  }

  // ---- tasks -----------------------------------------------------------------------------------

  /**
   * Stores all or none; returns them in request order. Sent with a new {@code Idempotency-Key}; to
   * retry safely after a timeout or a 503, call {@link #enqueue(List, String)} with one key of
   * your own for every try.
   */
  public List<CreatedTask> enqueue(List<TaskInput> tasks) {
    return enqueue(tasks, newIdempotencyKey());
  }

  /**
   * Stores all or none, at most once per {@code idempotencyKey} (kept by the server for 24 hours):
   * sent again with the same key and tasks, say after a timeout that left you not knowing whether
   * the first try was stored, it stores nothing and returns the tasks the first try stored. The
   * same key with other tasks is refused with {@code conflict}.
   */
  public List<CreatedTask> enqueue(List<TaskInput> tasks, String idempotencyKey) {
    JsonNode created = call("POST", "/tasks", Map.of("tasks", tasks), false, Map.of(IDEMPOTENCY_KEY, idempotencyKey));
    return json.convertValue(created.get("tasks"), json.getTypeFactory().constructCollectionType(List.class, CreatedTask.class));
  }

  /** A fresh random key (a UUID) for {@link #enqueue(List, String)}. */
  public static String newIdempotencyKey() {
    return UUID.randomUUID().toString();
  }

  /** The header that makes a POST /tasks safe to send again. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  public CreatedTask enqueue(TaskInput task) {
    return enqueue(List.of(task)).getFirst();
  }

  /** Stores a chain, all steps or none: each runs once the one before it finished. */
  public CreatedChain chain(List<TaskInput> steps) {
    return json.convertValue(call("POST", "/chains", Map.of("steps", steps)), CreatedChain.class);
  }

  /** Stores a group, all or nothing: the callback runs once, after every member ended. */
  public CreatedGroup group(List<TaskInput> members, TaskInput callback) {
    return json.convertValue(call("POST", "/groups", Map.of("members", members, "callback", callback)), CreatedGroup.class);
  }

  /** The task with its log. */
  public TaskInfo task(String id) {
    return json.convertValue(call("GET", "/tasks/" + encode(id), null), TaskInfo.class);
  }

  /**
   * Asks for the task every poll interval until it is final (FINISHED, FAILED or CANCELLED) and
   * returns it. A task whose handler continued it ends FINISHED; see {@link #awaitWork} to wait for
   * the continuation too. Throws {@code wait_timeout} when {@code timeout} passed first.
   */
  public TaskInfo awaitFinal(String id, Duration timeout) {
    return await(id, timeout, false);
  }

  /**
   * Waits for the work the task started: until the task is final and, when its handler handed
   * over to a continuation, until the last step of that continuation is final, however many
   * steps it took. Returns that last step (the task itself when it was not continued), whose
   * state is how the work ended. Throws {@code wait_timeout} when {@code timeout} passed first, and
   * {@code not_found} when cleanup removed the steps after a final one before they were read.
   */
  public TaskInfo awaitWork(String id, Duration timeout) {
    return await(id, timeout, true);
  }

  private TaskInfo await(String id, Duration timeout, boolean followContinuations) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String target = id;
    while (true) {
      TaskInfo task = task(target);
      String next = task.isFinal() && followContinuations ? task.nextStep() : null;
      if (next != null) {
        target = next; // a later step: read it at once
        continue;
      }
      if (task.isFinal()) return task;
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new PartyClientException(0, "wait_timeout", "task %s is still %s after %s%s".formatted(target,
            task.state(), timeout, target.equals(id) ? "" : " (a continuation of " + id + ")"), null, null);
      }
      try {
        Thread.sleep(Duration.ofNanos(Math.min(left, pollInterval.toNanos())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PartyClientException(0, "interrupted", "interrupted while waiting for task " + target, null, e);
      }
    }
  }

  /**
   * A page of tasks, newest first.
   *
   * @param state null, or PENDING, RUNNING, FINISHED, FAILED, CANCELLED
   * @param handler null, or a handler name
   * @param limit 1 to 1000
   * @param cursor null for the first page, else the previous page's {@link TaskPage#next()}
   */
  public TaskPage tasks(String state, String handler, int limit, String cursor) {
    StringJoiner query = new StringJoiner("&", "/tasks?", "");
    query.add("limit=" + limit);
    if (state != null) query.add("state=" + encode(state));
    if (handler != null) query.add("handler=" + encode(handler));
    if (cursor != null) query.add("cursor=" + encode(cursor));
    return json.convertValue(call("GET", query.toString(), null), TaskPage.class);
  }

  /** Cancels an unfinished task; a final one is refused with {@code conflict}. */
  public TaskInfo cancel(String id) {
    return json.convertValue(call("DELETE", "/tasks/" + encode(id), null), TaskInfo.class);
  }

  /**
   * Deletes a FINISHED, FAILED or CANCELLED task and its log for good; afterwards {@link #task}
   * answers {@code not_found}. An unfinished task, or a chain step or group member whose next step
   * or callback has yet to read it, is refused with {@code conflict}.
   */
  public void purge(String id) {
    call("DELETE", "/tasks/" + encode(id) + "?purge=true", null);
  }

  /** Puts a FAILED task back in the queue with a fresh set of attempts. */
  public TaskInfo retry(String id) {
    return json.convertValue(call("POST", "/tasks/" + encode(id) + "/retry", null), TaskInfo.class);
  }

  /**
   * Runs a waiting task now and returns it when its run is over (the seeds' back door; it blocks).
   * The client's timeout does not apply: the call lasts as long as the handler runs.
   */
  public TaskInfo runNow(String id) {
    return json.convertValue(call("POST", "/task/" + encode(id), null, true), TaskInfo.class);
  }

  // ---- server ----------------------------------------------------------------------------------

  /** The seeds' status map: pending per handler, failed, recurring, workers, restarted workers... */
  public JsonNode status() {
    return call("GET", "/status", null);
  }

  /** True when the server answers and its store is reachable. */
  public boolean healthy() {
    try {
      return call("GET", "/health", null).path("status").asText().equals("ok");
    } catch (PartyClientException e) {
      return false;
    }
  }

  /** The Prometheus text exposition. */
  public String metrics() {
    Transport.Response response = send("GET", "/metrics", null, false);
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** An answer as it came, for routes and checks this client has no method for. */
  public record RawResponse(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends {@code body} (null for none) as it is and returns the answer whatever its status; header
   * names are lower case. Throws only when no answer came.
   */
  public RawResponse exchange(String method, String path, byte[] body) {
    Transport.Response response = transport(method, path, body, false);
    return new RawResponse(response.status(), response.headers(), response.body());
  }

  private JsonNode call(String method, String path, Object body) {
    return call(method, path, body, false);
  }

  private JsonNode call(String method, String path, Object body, boolean waitLonger) {
    return call(method, path, body, waitLonger, Map.of());
  }

  private JsonNode call(String method, String path, Object body, boolean waitLonger, Map<String, String> extra) {
    byte[] bytes;
    try {
      bytes = body == null ? null : json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
    Transport.Response response = send(method, path, bytes, waitLonger, extra);
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new PartyClientException(response.status(), "bad_response",
          "the server's answer is not JSON: " + e.getMessage(), null, e);
    }
  }

  private Transport.Response send(String method, String path, byte[] body, boolean waitLonger) {
    return send(method, path, body, waitLonger, Map.of());
  }

  private Transport.Response send(String method, String path, byte[] body, boolean waitLonger, Map<String, String> extra) {
    Transport.Response response = transport(method, path, body, waitLonger, extra);
    if (response.status() / 100 != 2) throw refusal(response);
    return response;
  }

  private Transport.Response transport(String method, String path, byte[] body, boolean waitLonger) {
    return transport(method, path, body, waitLonger, Map.of());
  }

  private Transport.Response transport(String method, String path, byte[] body, boolean waitLonger,
      Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Accept", "application/json");
    if (body != null) headers.put("Content-Type", "application/json");
    if (token != null) headers.put("Authorization", "Bearer " + token);
    Transport.Response response;
    try {
      response = transport.exchange(method, path, headers, body, waitLonger);
    } catch (IOException e) {
      throw new PartyClientException(0, "unreachable", "no answer from the server: " + e, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PartyClientException(0, "unreachable", "interrupted while waiting for the server", null, e);
    }
    return response;
  }

  private PartyClientException refusal(Transport.Response response) {
    String code = "http_" + response.status();
    String message = new String(response.body(), StandardCharsets.UTF_8);
    try {
      JsonNode error = json.readTree(response.body());
      if (error != null && error.hasNonNull("error")) {
        code = error.get("error").asText();
        message = error.path("message").asText();
      }
    } catch (IOException notJson) {
      // keep the raw text as the message
    }
    String retryAfter = response.headers().get("retry-after");
    Duration wait = retryAfter != null && retryAfter.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(retryAfter)) : null;
    return new PartyClientException(response.status(), code, message, wait, null);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    transport.close();
  }
}
