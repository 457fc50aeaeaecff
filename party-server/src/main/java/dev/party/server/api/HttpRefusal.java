package dev.party.server.api;

import dev.party.error.ErrorCode;

/** A request refused by the HTTP layer itself (too large, unauthorised, a bad query parameter). */
public final class HttpRefusal extends RuntimeException {
  private final ErrorCode code;

  public HttpRefusal(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
