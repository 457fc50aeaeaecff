package dev.party.server.api;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses, with the API's JSON error, requests Jetty would otherwise pass on to no good end: a
 * CONNECT (this is no proxy; Jetty left it unanswered), {@code OPTIONS *} (answered 404 with no
 * body, while {@code OPTIONS} on a route is a 405) and a path whose {@code %} escape is not two
 * hex digits, such as {@code %u0041} (Javalin's decoder threw on it, a 500).
 */
public final class RequestGate extends Handler.Wrapper {
  /** The methods some route takes, for the Allow header of a refused CONNECT. */
  static final String ALLOWED = "GET, HEAD, POST, DELETE";

  public RequestGate(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (HttpMethod.CONNECT.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, ALLOWED);
      // Jetty would keep the connection for the tunnel that follows a CONNECT; there is none.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      Response.writeError(request, response, callback, 405, "CONNECT is not allowed: this server is not a proxy");
      return true;
    }
    if (HttpMethod.OPTIONS.is(request.getMethod()) && "*".equals(request.getHttpURI().getPath())) {
      response.getHeaders().put(HttpHeader.ALLOW, ALLOWED);
      Response.writeError(request, response, callback, 405, "OPTIONS is not served; each route takes " + ALLOWED + " as docs/http-api.md says");
      return true;
    }
    String path = request.getHttpURI().getPath();
    if (path != null && !wellEscaped(path)) {
      Response.writeError(request, response, callback, 400, "the path has a %-escape that is not two hex digits");
      return true;
    }
    return super.handle(request, response, callback);
  }

  static boolean wellEscaped(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
