package dev.party.server.api;

import dev.party.error.ErrorCode;
import dev.party.server.ApiToken;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * The one auth filter every route passes. Requests on the Unix socket are let through: its file
 * permissions decide who may connect. On TCP, when tokens are set, a request needs {@code
 * Authorization: Bearer <token>} with the route's scope. Without tokens (a loopback bind), a
 * request must name a loopback host and, if it comes from a browser, a loopback origin: a web page
 * on another site (a cross-site form, or DNS rebinding that points its name at 127.0.0.1) cannot
 * drive the API. {@code /health} is open, for load balancers and probes.
 */
final class AccessControl {
  /** The name PartyServer gives its Unix socket connector. */
  public static final String UNIX_CONNECTOR = "party-unix";

  private final List<ApiToken> tokens;

  AccessControl(List<ApiToken> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  void check(Context ctx) {
    if (ctx.path().equals("/health") || onUnixSocket(ctx)) return;
    if (tokens.isEmpty()) {
      checkLocal(ctx);
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpRefusal(ErrorCode.UNAUTHORIZED, "send an API token: Authorization: Bearer <token>");
    }
    String presented = header.substring(7).strip();
    ApiToken token = tokens.stream().filter(t -> t.matches(presented)).findFirst()
        .orElseThrow(() -> new HttpRefusal(ErrorCode.UNAUTHORIZED, "the API token is not valid"));
    ApiToken.Scope needed = scope(ctx);
    if (!token.allows(needed)) {
      throw new HttpRefusal(ErrorCode.FORBIDDEN,
          "this token's scopes %s do not include %s, which %s %s needs"
              .formatted(token.scopes(), needed.name().toLowerCase(), ctx.method(), ctx.path()));
    }
  }

  /**
   * GET and HEAD read; POST /tasks, /chains and /groups enqueue; everything else (cancel, retry,
   * run now, schedules) is admin.
   */
  private static final Set<String> ENQUEUE_PATHS = Set.of("/tasks", "/chains", "/groups");

  static ApiToken.Scope scope(Context ctx) {
    HandlerType method = ctx.method();
    if (method == HandlerType.GET || method == HandlerType.HEAD) return ApiToken.Scope.READ;
    String path = ctx.path().endsWith("/") ? ctx.path().substring(0, ctx.path().length() - 1) : ctx.path();
    if (method == HandlerType.POST && ENQUEUE_PATHS.contains(path)) return ApiToken.Scope.ENQUEUE;
    return ApiToken.Scope.ADMIN;
  }

  private static void checkLocal(Context ctx) {
    String host = hostName(ctx.header("Host"));
    if (host == null || !isLoopbackName(host)) {
      throw new HttpRefusal(ErrorCode.FORBIDDEN, "without API tokens this server answers only requests to a loopback "
          + "host (localhost, 127.0.0.1, [::1]); set a token to serve other names");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !isLoopbackName(hostName(originAuthority(origin)))) {
      throw new HttpRefusal(ErrorCode.FORBIDDEN, "requests from web pages of other sites are refused (Origin " + origin + ")");
    }
  }

  /** The host of a Host header or authority, without the port; brackets kept off IPv6. */
  static String hostName(String authority) {
    if (authority == null || authority.isBlank()) return null;
    String text = authority.strip().toLowerCase(Locale.ROOT);
    if (text.startsWith("[")) {
      int end = text.indexOf(']');
      return end < 0 ? null : text.substring(1, end);
    }
    int colon = text.indexOf(':');
    return colon < 0 ? text : text.substring(0, colon);
  }

  private static String originAuthority(String origin) {
    int scheme = origin.indexOf("://");
    return scheme < 0 ? null : origin.substring(scheme + 3);
  }

  static boolean isLoopbackName(String host) {
    if (host == null) return false;
    return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static boolean onUnixSocket(Context ctx) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    return request != null
        && UNIX_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName());
  }
}
