package dev.party.server.api;

import dev.party.server.ApiToken;
import dev.party.server.ServerConfig;
import dev.party.server.auth.DashboardSessions;
import java.util.List;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.QoSHandler;

/**
 * The bounds on requests in flight. Requests that carry no valid credential (a login, a page, a
 * stranger) share a small bound of their own, so however many of them hang on, the callers with a
 * token keep the main bound; {@code /health} is under neither, so a probe answers when the API is
 * full. Past a bound a request waits up to maxQueueWait, then gets 503 busy. Which requests are let
 * through at all is still {@link AccessControl}'s decision; this only sorts them.
 */
public final class Admission {
  private final List<ApiToken> tokens;
  private final DashboardSessions sessions;

  private Admission(List<ApiToken> tokens, DashboardSessions sessions) {
    this.tokens = List.copyOf(tokens);
    this.sessions = sessions;
  }

  /** The bound on requests without a credential: an eighth of maxInFlight, at least one. */
  public static int anonymousBound(ServerConfig config) {
    return Math.max(1, config.maxInFlight() / 8);
  }

  /** The two bounds, outer for requests without a credential, inner for the rest; innermost is {@code inner}'s place. */
  public static Handler.Wrapper wrap(ServerConfig config, DashboardSessions sessions) {
    var admission = new Admission(config.tokens(), sessions);
    var trusted = new QoSHandler();
    trusted.setMaxRequestCount(config.maxInFlight());
    trusted.setMaxSuspend(config.maxQueueWait());
    trusted.include(request -> !isHealth(request) && admission.trusted(request));
    var anonymous = new QoSHandler(trusted);
    anonymous.setMaxRequestCount(anonymousBound(config));
    anonymous.setMaxSuspend(config.maxQueueWait());
    anonymous.include(request -> !isHealth(request) && !admission.trusted(request));
    return anonymous;
  }

  private static boolean isHealth(Request request) {
    return "/health".equals(request.getHttpURI().getPath());
  }

  /** On the Unix socket, without tokens, with a known token or with a live dashboard login. */
  boolean trusted(Request request) {
    if (tokens.isEmpty()) return true;
    if (AccessControl.UNIX_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName())) return true;
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header != null) {
      return header.regionMatches(true, 0, "Bearer ", 0, 7) && ApiToken.find(tokens, header.substring(7).strip()).isPresent();
    }
    String name = AccessControl.sessionCookie(Request.getLocalPort(request));
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (cookie.getName().equals(name)) return sessions.find(cookie.getValue()).isPresent();
    }
    return false;
  }
}
