package dev.party.error;

/** Stable error codes: tools match on them, so a code never changes its meaning. */
public enum ErrorCode {
  MALFORMED_JSON("malformed_json"),
  INVALID_TASK("invalid_task"),
  INVALID_REQUEST("invalid_request"),
  UNKNOWN_HANDLER("unknown_handler"),
  BAD_TIMESTAMP("bad_timestamp"),
  NOT_FOUND("not_found"),
  CONFLICT("conflict"),
  TOO_LARGE("too_large"),
  QUEUE_FULL("queue_full"),
  UNAUTHORIZED("unauthorized"),
  FORBIDDEN("forbidden"),
  METHOD_NOT_ALLOWED("method_not_allowed"),
  /** The request (its headers or body) came too slowly. */
  REQUEST_TIMEOUT("request_timeout"),
  /** Not HTTP/1.0 or HTTP/1.1: HTTP/0.9, an unknown version, or an HTTP/2 preface on the HTTP/1.1 port. */
  HTTP_VERSION_NOT_SUPPORTED("http_version_not_supported"),
  BAD_CONFIG("bad_config"),
  STORE_UNAVAILABLE("store_unavailable"),
  BUSY("busy"),
  INTERNAL("internal");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  /** The code as it appears on the wire and in CLI messages, e.g. {@code unknown_handler}. */
  public String wire() {
    return wire;
  }
}
