package dev.party.server.api;

import dev.party.error.ErrorCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
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
      case 413, 414, 431 -> ErrorCode.TOO_LARGE;
      case 503 -> ErrorCode.BUSY;
      default -> status >= 400 && status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL;
    };
  }

  static String message(int status, String reason) {
    return switch (status) {
      case 503 -> "the server is handling as many requests as it may; try again shortly";
      case 431 -> "the request headers are too large";
      case 414 -> "the request URI is too long";
      default -> reason == null || reason.isBlank() ? "the request could not be read (HTTP " + status + ")" : reason;
    };
  }

  @Override
  protected void generateResponse(Request request, Response response, int status, String reason, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (status == 503) response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    response.write(true, ByteBuffer.wrap(ErrorMapper.body(code(status), message(status, reason))), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return ByteBuffer.wrap(ErrorMapper.body(code(status), message(status, reason)));
  }
}
