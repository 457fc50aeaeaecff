package dev.party.server.api;

import dev.party.error.ErrorCode;
import dev.party.server.ApiToken;
import dev.party.server.auth.DashboardPaths;
import dev.party.server.auth.DashboardSession;
import dev.party.server.auth.DashboardSessions;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * The one auth filter every route passes. Requests on the Unix socket are let through: its file
 * permissions decide who may connect. On TCP, when tokens are set, a request needs {@code
 * Authorization: Bearer <token>} with the route's scope, or the dashboard's login cookie with the
 * login token's scope; a state change by cookie must also echo the login's CSRF secret in {@code
 * X-Party-CSRF} and, if it names an Origin, come from this server's own. Without tokens (a loopback
 * bind), a request must name a loopback host and, if it comes from a browser, a loopback origin: a
 * web page on another site (a cross-site form, or DNS rebinding that points its name at 127.0.0.1)
 * cannot drive the API; and a state change from a browser (it carries an Origin) must echo the
 * server's CSRF secret, which only the dashboard's own pages can read. {@code /health} and the
 * dashboard's pages and assets (which hold no data) are open.
 */
public final class AccessControl {
  /** The name PartyServer gives its Unix socket connector. */
  public static final String UNIX_CONNECTOR = "party-unix";

  /** The header a browser's state-changing request must carry the CSRF secret in. */
  public static final String CSRF_HEADER = "X-Party-CSRF";
  /** The cookie that holds a dashboard login's id. */
  public static final String SESSION_COOKIE = "party_session";
  /** Set on a request let through, to the {@link Caller} it was let through as. */
  public static final String CALLER = "party.caller";

  private final List<ApiToken> tokens;
  private final DashboardSessions sessions;

  AccessControl(List<ApiToken> tokens, DashboardSessions sessions) {
    this.tokens = List.copyOf(tokens);
    this.sessions = sessions;
  }

  void check(Context ctx) {
    if (ctx.path().equals("/health")) return;
    if (onUnixSocket(ctx)) {
      // The socket's permissions decide who connects; but a proxy in front of it may carry a
      // browser's requests, so those get the rules of a server without tokens (loopback names, CSRF).
      if (fromBrowser(ctx)) checkBrowserWithoutTokens(ctx);
      ctx.attribute(CALLER, Caller.local(sessions.localCsrf()));
      return;
    }
    if (tokens.isEmpty()) {
      checkBrowserWithoutTokens(ctx);
      ctx.attribute(CALLER, Caller.local(sessions.localCsrf()));
      return;
    }
    if (DashboardPaths.isOpen(ctx.path())) return;
    String header = ctx.header("Authorization");
    if (header != null) {
      checkBearer(ctx, header);
      return;
    }
    String cookie = ctx.cookie(sessionCookie(ctx));
    if (cookie == null) {
      throw new HttpRefusal(ErrorCode.UNAUTHORIZED,
          "send an API token: Authorization: Bearer <token> (or log in at /dashboard/login)");
    }
    DashboardSession session = sessions.find(cookie).orElseThrow(() -> new HttpRefusal(ErrorCode.UNAUTHORIZED,
        "the dashboard login has expired or the server restarted; log in again at /dashboard/login"));
    ctx.header("Cache-Control", "no-store"); // task data read with a login must not stay in a shared cache
    if (changesState(ctx)) {
      requireSameOrigin(ctx);
      requireCsrf(ctx, session.csrf());
    }
    requireScope(ctx, session.scopes());
    ctx.attribute(CALLER, Caller.of(session));
  }

  private void checkBearer(Context ctx, String header) {
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new HttpRefusal(ErrorCode.UNAUTHORIZED, "send an API token: Authorization: Bearer <token>");
    }
    String presented = header.substring(7).strip();
    ApiToken token = ApiToken.find(tokens, presented)
        .orElseThrow(() -> new HttpRefusal(ErrorCode.UNAUTHORIZED, "the API token is not valid"));
    requireScope(ctx, token.scopes());
    ctx.attribute(CALLER, Caller.of(token));
  }

  private static void requireScope(Context ctx, Set<ApiToken.Scope> scopes) {
    ApiToken.Scope needed = scope(ctx);
    if (!scopes.contains(ApiToken.Scope.ADMIN) && !scopes.contains(needed)) {
      throw new HttpRefusal(ErrorCode.FORBIDDEN,
          "this token's scopes %s do not include %s, which %s %s needs"
              .formatted(scopes, needed.name().toLowerCase(Locale.ROOT), ctx.method(), ctx.path()));
    }
  }

  /**
   * The login cookie's name, with the server's port in it: browsers send a host's cookies to all
   * its ports, so two servers on one machine would otherwise swap logins, and any other program on
   * the host would get this one's.
   */
  public static String sessionCookie(Context ctx) {
    return sessionCookie(ctx.req().getLocalPort());
  }

  static String sessionCookie(int localPort) {
    return localPort > 0 ? SESSION_COOKIE + "_" + localPort : SESSION_COOKIE;
  }

  /** Without tokens: loopback names only, and a browser's state change carries the server's CSRF secret. */
  private void checkBrowserWithoutTokens(Context ctx) {
    checkLocal(ctx);
    // Browsers send Origin with every POST and DELETE; tools (curl, the client) do not need the secret.
    if (changesState(ctx) && fromBrowser(ctx)) requireCsrf(ctx, sessions.localCsrf());
  }

  /** A browser names where the request comes from; curl and the clients do not. */
  private static boolean fromBrowser(Context ctx) {
    return ctx.header("Origin") != null || ctx.header("Sec-Fetch-Site") != null;
  }

  private static boolean changesState(Context ctx) {
    HandlerType method = ctx.method();
    return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
  }

  private static void requireCsrf(Context ctx, String expected) {
    if (!DashboardSessions.csrfMatches(expected, ctx.header(CSRF_HEADER))) {
      throw new HttpRefusal(ErrorCode.FORBIDDEN, "a browser's %s %s must carry the dashboard's %s header; reload the dashboard"
          .formatted(ctx.method(), ctx.path(), CSRF_HEADER));
    }
  }

  /** A request that names an Origin must come from a page of this very server. */
  public static void requireSameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) return;
    String host = ctx.header("Host");
    String authority = originAuthority(origin);
    if (host == null || authority == null || !authority.equalsIgnoreCase(host.strip())) {
      throw new HttpRefusal(ErrorCode.FORBIDDEN, "requests from web pages of other sites are refused (Origin " + origin + ")");
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
