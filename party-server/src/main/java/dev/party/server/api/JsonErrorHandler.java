package dev.party.server.api;

import dev.party.error.ErrorCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before a request reaches the API (a malformed request line, a
 * header too large, an unreadable path, the in-flight bound), in the API's JSON form rather than
 * Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {
  private final long retryAfterSeconds;

  public JsonErrorHandler(Duration retryAfter) {
    this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
  }

  static ErrorCode code(int status) {
    return switch (status) {
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 408 -> ErrorCode.REQUEST_TIMEOUT;
      case 413, 414, 431 -> ErrorCode.TOO_LARGE;
      case 503 -> ErrorCode.BUSY;
      case 426, 505 -> ErrorCode.HTTP_VERSION_NOT_SUPPORTED;
      default -> status >= 400 && status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL;
    };
  }

  static String message(int status, String reason) {
    return switch (status) {
      case 503 -> "the server is handling as many requests as it may; try again shortly";
      case 431 -> "the request headers are too large";
      case 414 -> "the request URI is too long";
      case 426 -> "HTTP/2 is not served here; send HTTP/1.1";
      case 505 -> "send HTTP/1.1 (or HTTP/1.0)" + (reason == null || reason.isBlank() ? "" : ": " + reason);
      default -> reason == null || reason.isBlank() ? "the request could not be read (HTTP " + status + ")" : reason;
    };
  }

  /** Jetty writes no body for methods other than GET, POST and HEAD; every refusal here has one. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int status, String reason, Throwable cause,
      Callback callback) {
    // An HTTP/2 preface: Jetty answers 426 on TCP and 400 on a Unix socket, but no upgrade would
    // help; the version is the problem.
    boolean http2 = status == 426 || HttpMethod.PRI.is(request.getMethod());
    if (http2) response.setStatus(505);
    String message = http2 ? message(426, null)
        : status == 404 && (reason == null || reason.equals("Not Found"))
            ? "no route %s %s".formatted(request.getMethod(), request.getHttpURI().getPathQuery())
            : message(status, reason);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (status == 503) response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    response.write(true, ByteBuffer.wrap(ErrorMapper.body(code(http2 ? 505 : status), message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return ByteBuffer.wrap(ErrorMapper.body(code(status), message(status, reason)));
  }
}
