package dev.party.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.party.error.ErrorCode;
import dev.party.error.PartyException;
import dev.party.error.StoreException;
import dev.party.json.Json;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps error codes to HTTP: every refusal goes out as {@code {"error": code,
 * "message": ...}}, never with a stack trace.
 */
public final class ErrorMapper {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  /** The one message a client sees when the store fails; the server log has the cause. */
  public static final String STORE_UNAVAILABLE_MESSAGE = "the store is not answering; try again shortly";

  private final Duration retryAfter;

  public ErrorMapper(Duration retryAfter) {
    this.retryAfter = retryAfter;
  }

  public static int status(ErrorCode code) {
    return switch (code) {
      case MALFORMED_JSON, INVALID_TASK, INVALID_REQUEST, BAD_TIMESTAMP -> 400;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case UNKNOWN_HANDLER, NOT_FOUND -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case REQUEST_TIMEOUT -> 408;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case QUEUE_FULL -> 429;
      case STORE_UNAVAILABLE, BUSY -> 503;
      case BAD_CONFIG, INTERNAL -> 500;
      case HTTP_VERSION_NOT_SUPPORTED -> 505;
    };
  }

  /** Set on a request once it was answered with an error body, so Javalin's status hooks leave it be. */
  static final String REFUSED = "party.refused";

  public void refuse(Context ctx, ErrorCode code, String message) {
    ctx.attribute(REFUSED, Boolean.TRUE);
    ctx.status(status(code));
    switch (code) {
      case QUEUE_FULL, STORE_UNAVAILABLE, BUSY -> ctx.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
      case UNAUTHORIZED -> ctx.header("WWW-Authenticate", "Bearer realm=\"party\"");
      default -> { }
    }
    ctx.contentType("application/json").result(body(code, message));
  }

  /** For Javalin's exception hook: Party's own errors by their code, anything else as internal. */
  public void handle(Exception e, Context ctx) {
    switch (e) {
      case StoreException busy when busy.code() == ErrorCode.BUSY -> refuse(ctx, ErrorCode.BUSY, busy.getMessage());
      case StoreException store -> {
        // The detail (driver, pool, SQL) is for the operator's log, not for the client.
        log.warn("{} {}: the store failed: {}", ctx.method(), ctx.path(), store.getMessage());
        refuse(ctx, ErrorCode.STORE_UNAVAILABLE, STORE_UNAVAILABLE_MESSAGE);
      }
      case PartyException party -> refuse(ctx, party.code(), party.getMessage());
      case HttpRefusal refusal -> refuse(ctx, refusal.code(), refusal.getMessage());
      case Exception other when slowBody(other) != null -> refuse(ctx, ErrorCode.REQUEST_TIMEOUT, slowBody(other).getMessage());
      default -> {
        log.error("{} {} failed", ctx.method(), ctx.path(), e);
        refuse(ctx, ErrorCode.INTERNAL, "unexpected error; the server log has the details");
      }
    }
  }

  /** The floor on body speed, wherever a read wrapped it (Javalin's bodyAsBytes, the servlet stream). */
  static BodyRate.SlowBody slowBody(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof BodyRate.SlowBody slow) return slow;
    }
    return null;
  }

  public static byte[] body(ErrorCode code, String message) {
    var out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("error", code.wire());
      json.writeStringField("message", message);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
