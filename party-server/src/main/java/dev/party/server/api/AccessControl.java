package dev.party.server.api;

import dev.party.error.ErrorCode;
import dev.party.server.ApiToken;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * The one auth filter every route passes. Requests on the Unix socket are let through: its file
 * permissions decide who may connect. On TCP, when tokens are set, a request needs {@code
 * Authorization: Bearer <token>} with the route's scope; without tokens (loopback only) all pass.
 * {@code /health} is open, for load balancers and probes.
 */
final class AccessControl {
  /** The name PartyServer gives its Unix socket connector. */
  public static final String UNIX_CONNECTOR = "party-unix";

  private final List<ApiToken> tokens;

  AccessControl(List<ApiToken> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  void check(Context ctx) {
    if (tokens.isEmpty() || ctx.path().equals("/health") || onUnixSocket(ctx)) return;
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

  /** GET and HEAD read; POST /tasks enqueues; everything else (cancel, retry, run now) is admin. */
  static ApiToken.Scope scope(Context ctx) {
    HandlerType method = ctx.method();
    if (method == HandlerType.GET || method == HandlerType.HEAD) return ApiToken.Scope.READ;
    if (method == HandlerType.POST && ctx.path().equals("/tasks")) return ApiToken.Scope.ENQUEUE;
    return ApiToken.Scope.ADMIN;
  }

  private static boolean onUnixSocket(Context ctx) {
    ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
    return request != null
        && UNIX_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName());
  }
}
