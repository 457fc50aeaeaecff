package dev.party.server;

import dev.party.error.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the HTTP API listens and what it accepts. Immutable; the {@code with…} methods return a
 * changed copy, and {@link #validate()} reports every problem at once.
 *
 * @param host TCP address to bind. Default: {@value #DEFAULT_HOST} (loopback only)
 * @param port TCP port; 0 picks a free one; -1 turns TCP off. Default: {@value #DEFAULT_PORT}
 * @param unixSocket a Unix domain socket to listen on as well (or instead), created mode 0660; null: none
 * @param maxBodyBytes larger request bodies are refused with too_large before they are read. Default: 1 MiB
 * @param maxTasksPerPost more tasks in one POST are refused with too_large. Default: 10,000
 * @param tokens bearer tokens for TCP; empty means no auth, which only a loopback host allows.
 *     The Unix socket relies on file permissions instead
 * @param retryAfter what a queue_full, busy or store_unavailable answer asks clients to wait. Default: 1 second
 * @param maxInFlight requests handled at once; more wait (see maxQueueWait). Default: {@value #DEFAULT_MAX_IN_FLIGHT}
 * @param maxQueueWait how long a request waits for a slot before it is answered 503 busy. Default: 5 seconds
 * @param drainTimeout at close, how long requests in flight may take to finish (new ones are
 *     refused); past it their connections are cut. Default: 10 seconds
 * @param dashboardLogin how long a dashboard log-in (its session cookie) lasts. Default: 8 hours
 * @param maxTasksInFlight tasks that POST /tasks requests may be enqueuing at once, a request
 *     weighing as many as it holds; past it they wait (see enqueueTimeout). At least
 *     maxTasksPerPost. Default: {@value #DEFAULT_MAX_TASKS_IN_FLIGHT}
 * @param enqueueTimeout how long a POST /tasks, once its body is read, may wait for room among
 *     maxTasksInFlight and then for its turn to be written; past it, 503 busy and nothing stored.
 *     Default: 5 seconds
 * @param idleTimeout a connection that sends and receives nothing this long is closed. Default: 30 seconds
 * @param headerTimeout a request line and headers must arrive within this long of their first byte,
 *     or the connection is closed. Default: 10 seconds
 * @param minBodyRate bytes per second a body must arrive at, counted from when the API starts
 *     reading it, past the grace; a slower body is refused with 408 request_timeout. 0 turns it off.
 *     Default: {@value #DEFAULT_MIN_BODY_RATE}
 * @param bodyGrace how long a body may arrive slower than minBodyRate before it counts. Default: 5 seconds
 */
public record ServerConfig(
    String host,
    int port,
    Path unixSocket,
    int maxBodyBytes,
    int maxTasksPerPost,
    List<ApiToken> tokens,
    Duration retryAfter,
    int maxInFlight,
    Duration maxQueueWait,
    Duration drainTimeout,
    Duration dashboardLogin,
    int maxTasksInFlight,
    Duration enqueueTimeout,
    Duration idleTimeout,
    Duration headerTimeout,
    int minBodyRate,
    Duration bodyGrace) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8032;
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_TASKS_PER_POST = 10_000;
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_IN_FLIGHT = 128;
  public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_DASHBOARD_LOGIN = Duration.ofHours(8);
  public static final int DEFAULT_MAX_TASKS_IN_FLIGHT = 20_000;
  public static final Duration DEFAULT_ENQUEUE_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MIN_BODY_RATE = 1024;
  public static final Duration DEFAULT_BODY_GRACE = Duration.ofSeconds(5);
  /** The value of {@link #port} that turns TCP off. */
  public static final int NO_TCP = -1;

  public ServerConfig {
    tokens = List.copyOf(tokens);
  }

  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_TASKS_PER_POST, List.of(), DEFAULT_RETRY_AFTER, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_QUEUE_WAIT,
        DEFAULT_DRAIN_TIMEOUT, DEFAULT_DASHBOARD_LOGIN, DEFAULT_MAX_TASKS_IN_FLIGHT, DEFAULT_ENQUEUE_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_MIN_BODY_RATE, DEFAULT_BODY_GRACE);
  }

  public ServerConfig host(String value) {
    return new ServerConfig(value, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig port(int value) {
    return new ServerConfig(host, value, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig unixSocket(Path value) {
    return new ServerConfig(host, port, value, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig maxBodyBytes(int value) {
    return new ServerConfig(host, port, unixSocket, value, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig maxTasksPerPost(int value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, value, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig tokens(List<ApiToken> value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, value, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig retryAfter(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, value, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig maxInFlight(int value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, value, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig maxQueueWait(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, value, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig drainTimeout(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, value, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig dashboardLogin(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, value, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig maxTasksInFlight(int value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, value, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig enqueueTimeout(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, value, idleTimeout, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig idleTimeout(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, value, headerTimeout, minBodyRate, bodyGrace);
  }

  public ServerConfig headerTimeout(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, value, minBodyRate, bodyGrace);
  }

  public ServerConfig minBodyRate(int value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, value, bodyGrace);
  }

  public ServerConfig bodyGrace(Duration value) {
    return new ServerConfig(host, port, unixSocket, maxBodyBytes, maxTasksPerPost, tokens, retryAfter, maxInFlight, maxQueueWait, drainTimeout, dashboardLogin, maxTasksInFlight, enqueueTimeout, idleTimeout, headerTimeout, minBodyRate, value);
  }

  public boolean tcp() {
    return port != NO_TCP;
  }

  /** Throws a {@link ConfigException} listing every problem, each with its fix. */
  public void validate() {
    List<String> problems = new ArrayList<>();
    if (!tcp() && unixSocket == null) {
      problems.add("the server listens nowhere: give a TCP port or a Unix socket path");
    }
    if (tcp() && (port < 0 || port > 65_535)) {
      problems.add("port must be between 0 and 65535 (or -1 for no TCP), not " + port);
    }
    if (maxBodyBytes < 1024) problems.add("maxBodyBytes must be at least 1024, not " + maxBodyBytes);
    if (maxTasksPerPost < 1) problems.add("maxTasksPerPost must be at least 1, not " + maxTasksPerPost);
    if (retryAfter == null || retryAfter.isNegative()) problems.add("retryAfter must be zero or more");
    if (maxInFlight < 1) problems.add("maxInFlight must be at least 1, not " + maxInFlight);
    if (maxQueueWait == null || maxQueueWait.isNegative()) problems.add("maxQueueWait must be zero or more");
    if (drainTimeout == null || drainTimeout.isNegative()) problems.add("drainTimeout must be zero or more");
    if (maxTasksInFlight < maxTasksPerPost) {
      problems.add("maxTasksInFlight (%d) must be at least maxTasksPerPost (%d), or the largest request could never be admitted"
          .formatted(maxTasksInFlight, maxTasksPerPost));
    }
    if (enqueueTimeout == null || enqueueTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      problems.add("enqueueTimeout must be at least 100ms, not " + enqueueTimeout);
    }
    if (idleTimeout == null || idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add("idleTimeout must be at least a second, not " + idleTimeout);
    }
    if (headerTimeout == null || headerTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      problems.add("headerTimeout must be at least 100 ms, not " + headerTimeout);
    }
    if (minBodyRate < 0) problems.add("minBodyRate must be zero (off) or more bytes per second, not " + minBodyRate);
    if (bodyGrace == null || bodyGrace.isNegative()) problems.add("bodyGrace must be zero or more");
    if (dashboardLogin == null || dashboardLogin.compareTo(Duration.ofMinutes(1)) < 0) {
      problems.add("dashboardLogin must be at least a minute, not " + dashboardLogin);
    }
    if (tcp() && tokens.isEmpty() && !isLoopback(host)) {
      problems.add(("host %s is reachable from other machines, and no API token is set: set one "
          + "(PARTY_API_TOKEN or --token-file), or bind to 127.0.0.1").formatted(host));
    }
    if (!problems.isEmpty()) throw new ConfigException(problems);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
