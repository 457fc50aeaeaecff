package dev.party.server;

import dev.party.Party;
import dev.party.error.ConfigException;
import dev.party.server.api.ApiRoutes;
import dev.party.server.api.JsonErrorHandler;
import dev.party.server.metrics.PartyMetrics;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Party's HTTP API on Javalin (Jetty 12), over TCP, a Unix domain socket, or both. It serves a
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
  private boolean closed;

  private PartyServer(ServerConfig config, Javalin app) {
    this.config = config;
    this.app = app;
  }

  /**
   * Validates the config, binds and starts serving.
   *
   * @param metrics the listener the Party was built with, for /metrics; null serves store counts only
   * @throws ConfigException when the config is invalid or the socket path is held by a live server
   */
  public static PartyServer start(ServerConfig config, Party party, PartyMetrics metrics) {
    config.validate();
    if (config.unixSocket() != null) prepareSocketPath(config.unixSocket());
    PartyMetrics served = metrics != null ? metrics : new PartyMetrics();
    Javalin app = Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.startup.showOldJavalinVersionWarning = false;
      javalin.http.prefer405over404 = true;
      // Bodies are read by the API's BodyReader, which refuses past the limit before buffering.
      javalin.http.maxRequestSize = config.maxBodyBytes();
      javalin.jetty.modifyServer(server -> {
        // Javalin puts its handler inside the innermost wrapper it finds: here, the bound on
        // requests in flight. Past it requests wait up to maxQueueWait, then get 503 busy.
        var bound = new QoSHandler();
        bound.setMaxRequestCount(config.maxInFlight());
        bound.setMaxSuspend(config.maxQueueWait());
        server.setHandler(bound);
        server.setErrorHandler(new JsonErrorHandler(config.retryAfter()));
      });
      if (config.tcp()) {
        javalin.jetty.addConnector((server, http) -> {
          ServerConnector tcp = new ServerConnector(server, new HttpConnectionFactory(http));
          tcp.setHost(config.host());
          tcp.setPort(config.port());
          return tcp;
        });
      }
      if (config.unixSocket() != null) {
        javalin.jetty.addConnector((server, http) -> {
          var unix = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
          unix.setUnixDomainPath(config.unixSocket());
          unix.setName(ApiRoutes.UNIX_CONNECTOR);
          return unix;
        });
      }
      ApiRoutes.register(javalin.routes, party, config);
      javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(served.scrape(party::status)));
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      throw new ConfigException("cannot listen on %s: %s".formatted(where(config), rootMessage(e)));
    }
    var started = new PartyServer(config, app);
    if (config.unixSocket() != null) started.restrictSocket();
    log.info("Party API listening on {}", started.describe());
    return started;
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

  /** Stops listening and removes the socket file; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    app.stop();
    if (config.unixSocket() != null) {
      try {
        Files.deleteIfExists(config.unixSocket());
      } catch (IOException e) {
        log.warn("could not remove the socket file {}: {}", config.unixSocket(), e.toString());
      }
    }
  }

  /**
   * Makes sure the socket can be created safely: its folder is created owner-and-group only
   * (0750) when missing, and must otherwise belong to this user and be writable by no one else, so
   * nobody can swap the socket for a link. A socket file left by a dead server is removed; a socket
   * a live server answers on, or any file that is not a socket, is refused and left alone.
   */
  private static void prepareSocketPath(Path socket) {
    try {
      Path parent = socket.toAbsolutePath().getParent();
      if (!Files.isDirectory(parent)) {
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
      }
      checkPrivate(parent);
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        if (!isSocket(socket)) {
          throw new ConfigException(socket + " exists and is not a socket; choose another socket path");
        }
        if (answers(socket)) {
          throw new ConfigException("another server is listening on " + socket + "; stop it or choose another socket path");
        }
        Files.delete(socket);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot prepare the socket path " + socket + ": " + e.getMessage());
    }
  }

  private static void checkPrivate(Path folder) throws IOException {
    var owner = Files.getOwner(folder);
    String me = System.getProperty("user.name");
    var permissions = Files.getPosixFilePermissions(folder);
    if (!owner.getName().equals(me)
        || permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new ConfigException(("the socket's folder %s must belong to %s and be writable by no one else "
          + "(it is %s's, %s); use a folder of your own, such as party-data")
          .formatted(folder, me, owner.getName(), PosixFilePermissions.toString(permissions)));
    }
  }

  private static boolean isSocket(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & 0170000) == 0140000; // S_IFSOCK
  }

  private static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Owner and group may connect (0660); others may not. Until this runs the socket has the mode the
   * umask gives (0755 under the usual 022, which lets only the owner connect). The folder is
   * private (see prepareSocketPath), so the path is still this socket, not a link someone planted.
   */
  private void restrictSocket() {
    try {
      if (!isSocket(config.unixSocket())) throw new IOException("it is no longer a socket");
      Files.setPosixFilePermissions(config.unixSocket(), PosixFilePermissions.fromString("rw-rw----"));
    } catch (IOException e) {
      close();
      throw new ConfigException("cannot set the permissions of " + config.unixSocket() + ": " + e.getMessage());
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
