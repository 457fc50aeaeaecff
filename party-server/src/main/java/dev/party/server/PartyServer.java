package dev.party.server;

import dev.party.Party;
import dev.party.error.ConfigException;
import dev.party.server.api.Admission;
import dev.party.server.api.ApiRoutes;
import dev.party.server.api.BodyRate;
import dev.party.server.api.HeaderDeadline;
import dev.party.server.api.JsonErrorHandler;
import dev.party.server.api.RequestGate;
import dev.party.server.auth.DashboardSessions;
import dev.party.server.dashboard.DashboardRoutes;
import dev.party.server.metrics.PartyMetrics;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Party's HTTP API and dashboard on Javalin (Jetty 12), over TCP, a Unix domain socket, or both. It serves a
 * {@link Party} that someone else built and owns: closing the server stops listening and removes
 * the socket file, and leaves the Party running.
 *
 * <pre>{@code
 * var metrics = new PartyMetrics();
 * Party party = Party.builder(store).listener(metrics).module(new ExamplesModule()).build().start();
 * try (PartyServer server = PartyServer.start(ServerConfig.defaults(), party, metrics)) { ... }
 * }</pre>
 */
public final class PartyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartyServer.class);

  private final ServerConfig config;
  private final Javalin app;
  private final SocketFile socket;
  private boolean closed;

  private PartyServer(ServerConfig config, Javalin app, SocketFile socket) {
    this.config = config;
    this.app = app;
    this.socket = socket;
  }

  /**
   * Validates the config, binds and starts serving.
   *
   * @param metrics the listener the Party was built with, for /metrics; null serves store counts only
   * @throws ConfigException when the config is invalid or the socket path is held by a live server
   */
  public static PartyServer start(ServerConfig config, Party party, PartyMetrics metrics) {
    config.validate();
    SocketFile socket = config.unixSocket() != null ? SocketFile.claim(config.unixSocket()) : null;
    try {
      return listen(config, party, metrics, socket);
    } catch (RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  private static PartyServer listen(ServerConfig config, Party party, PartyMetrics metrics, SocketFile socket) {
    PartyMetrics served = metrics != null ? metrics : new PartyMetrics();
    // Dashboard logins live as long as this server; a restart logs browsers out.
    var sessions = new DashboardSessions(party.clock(), new SecureRandom(), config.dashboardLogin());
    Javalin app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.startup.showOldJavalinVersionWarning = false;
      javalin.http.prefer405over404 = true;
      // Bodies are read by the API's BodyReader, which refuses past the limit before buffering.
      javalin.http.maxRequestSize = config.maxBodyBytes();
      javalin.jetty.modifyServer(server -> {
        // Javalin puts its handler inside the innermost wrapper it finds: here, the floor on body
        // speed, inside the bounds on requests in flight (see Admission).
        Handler.Wrapper bounds = Admission.wrap(config, sessions);
        innermost(bounds).setHandler(new BodyRate(config.minBodyRate(), config.bodyGrace()));
        // At stop, requests in flight (a run-now, a large POST) finish within drainTimeout while
        // new ones get 503; a stop timeout of 0 would cut them at once.
        var graceful = new GracefulHandler(bounds);
        server.setHandler(new RequestGate(graceful));
        server.setStopTimeout(config.drainTimeout().toMillis());
        server.setErrorHandler(new JsonErrorHandler(config.retryAfter()));
        server.addBean(new HeaderDeadline(server, config.headerTimeout()));
      });
      if (config.tcp()) {
        javalin.jetty.addConnector((server, http) -> {
          ServerConnector tcp = new ServerConnector(server, new HttpConnectionFactory(http));
          tcp.setHost(config.host());
          tcp.setPort(config.port());
          tcp.setIdleTimeout(config.idleTimeout().toMillis());
          return tcp;
        });
      }
      if (config.unixSocket() != null) {
        javalin.jetty.addConnector((server, http) -> {
          var unix = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
          unix.setUnixDomainPath(config.unixSocket());
          unix.setName(ApiRoutes.UNIX_CONNECTOR);
          unix.setIdleTimeout(config.idleTimeout().toMillis());
          return unix;
        });
      }
      ApiRoutes.register(javalin.routes, party, config, sessions);
      DashboardRoutes.register(javalin.routes, config, sessions);
      javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(served.scrape(party::status)));
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      throw new ConfigException("cannot listen on %s: %s".formatted(where(config), rootMessage(e)));
    }
    var started = new PartyServer(config, app, socket);
    if (socket != null) {
      try {
        socket.restrict();
      } catch (IOException e) {
        app.stop();
        throw new ConfigException("cannot set the permissions of " + config.unixSocket() + ": " + e.getMessage());
      }
    }
    log.info("Party API listening on {}", started.describe());
    return started;
  }

  private static Handler.Wrapper innermost(Handler.Wrapper wrapper) {
    Handler.Wrapper inner = wrapper;
    while (inner.getHandler() instanceof Handler.Wrapper next) inner = next;
    return inner;
  }

  /** The TCP port bound (useful when the config asked for 0), or -1 without TCP. */
  public int port() {
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof ServerConnector tcp) return tcp.getLocalPort();
    }
    return ServerConfig.NO_TCP;
  }

  /** {@code http://host:port}, for clients; null without TCP. */
  public URI uri() {
    return config.tcp() ? URI.create("http://%s:%d".formatted(hostForUri(config.host()), port())) : null;
  }

  public Path unixSocket() {
    return config.unixSocket();
  }

  public String describe() {
    String tcp = config.tcp() ? uri().toString() : null;
    String unix = config.unixSocket() != null ? "unix:" + config.unixSocket() : null;
    return tcp != null && unix != null ? tcp + " and " + unix : tcp != null ? tcp : unix;
  }

  /**
   * Stops taking connections, lets requests in flight finish within the config's drainTimeout,
   * then stops and removes the socket file; safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    app.stop();
    closeQuietly(socket);
  }

  private static void closeQuietly(SocketFile socket) {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException e) {
      log.warn("could not remove the socket file: {}", e.toString());
    }
  }

  private static String where(ServerConfig config) {
    String tcp = config.tcp() ? config.host() + ":" + config.port() : null;
    String unix = config.unixSocket() != null ? "unix:" + config.unixSocket() : null;
    return tcp != null && unix != null ? tcp + " and " + unix : tcp != null ? tcp : unix;
  }

  private static String hostForUri(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
