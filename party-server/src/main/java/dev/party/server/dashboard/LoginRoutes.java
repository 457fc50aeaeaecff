package dev.party.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.error.ErrorCode;
import dev.party.server.ApiToken;
import dev.party.server.api.AccessControl;
import dev.party.server.api.HttpRefusal;
import dev.party.server.auth.DashboardSession;
import dev.party.server.auth.DashboardSessions;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * POST /dashboard/login and /logout. A browser cannot send a bearer header on plain navigation,
 * so a pasted token is traded for a session cookie: HttpOnly (scripts cannot read it) and
 * SameSite=Strict (other sites' requests do not carry it).
 */
final class LoginRoutes {
  private final List<ApiToken> tokens;
  private final DashboardSessions sessions;

  LoginRoutes(List<ApiToken> tokens, DashboardSessions sessions) {
    this.tokens = List.copyOf(tokens);
    this.sessions = sessions;
  }

  /** Body {@code {"token": "..."}}; 200 with the token's scopes and the cookie, or 401 unauthorized. */
  void login(Context ctx) {
    // Login CSRF: another site must not log this browser in under its own token.
    AccessControl.requireSameOrigin(ctx);
    if (tokens.isEmpty()) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST, "this server has no API tokens, so the dashboard needs no login");
    }
    String presented = token(ctx);
    ApiToken token = ApiToken.find(tokens, presented)
        .orElseThrow(() -> new HttpRefusal(ErrorCode.UNAUTHORIZED, "the API token is not valid"));
    DashboardSession session = sessions.open(token.scopes());
    ctx.res().addHeader("Set-Cookie", cookie(ctx, session.id(), sessions.lifetime().toSeconds()));
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/json").result(Json.object(json -> {
      json.writeArrayFieldStart("scopes");
      for (ApiToken.Scope scope : token.scopes()) json.writeString(scope.name().toLowerCase(Locale.ROOT));
      json.writeEndArray();
    }));
  }

  /** Forgets the session and clears the cookie; fine without one. */
  void logout(Context ctx) {
    AccessControl.requireSameOrigin(ctx);
    sessions.close(ctx.cookie(AccessControl.sessionCookie(ctx)));
    ctx.res().addHeader("Set-Cookie", cookie(ctx, "", 0));
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("application/json").result(Json.object(json -> json.writeBooleanField("loggedOut", true)));
  }

  private static String token(Context ctx) {
    JsonNode body;
    try {
      body = dev.party.json.Json.parse(ctx.bodyAsBytes());
    } catch (dev.party.error.InvalidTaskException e) {
      throw new HttpRefusal(ErrorCode.MALFORMED_JSON, "send {\"token\": \"...\"} as JSON");
    }
    JsonNode token = body == null ? null : body.get("token");
    if (token == null || !token.isTextual() || token.asText().isBlank()) {
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST, "send {\"token\": \"...\"} with the API token as text");
    }
    return token.asText().strip();
  }

  /** Secure when the browser reached us over HTTPS (directly, or through a proxy that says so). */
  private static String cookie(Context ctx, String value, long maxAgeSeconds) {
    boolean https = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    return "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s"
        .formatted(AccessControl.sessionCookie(ctx), value, maxAgeSeconds, https ? "; Secure" : "");
  }
}
