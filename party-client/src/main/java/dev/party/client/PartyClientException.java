package dev.party.client;

import java.time.Duration;

/**
 * The server refused a request, or could not be reached. {@code code} is the server's stable error
 * code ({@code unknown_handler}, {@code queue_full}, ...), or {@code unreachable} when no answer came;
 * the client's own waits end with {@code wait_timeout} or {@code interrupted} (status 0).
 */
public final class PartyClientException extends RuntimeException {
  private final int status;
  private final String code;
  private final Duration retryAfter;

  PartyClientException(int status, String code, String message, Duration retryAfter, Throwable cause) {
    super(code + ": " + message, cause);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status, or 0 when the server could not be reached. */
  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** How long the server asked to wait before trying again (queue_full), or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
