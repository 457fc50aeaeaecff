package dev.party.server.dashboard;

import io.javalin.http.Context;

/**
 * The browser-side locks on every dashboard response: scripts only from this server and never
 * inline (so data that slipped into the page could not run), no framing (clickjacking), no MIME
 * sniffing, and no referrer (task ids stay on this site).
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    // Pages are small and the jar is their version: always revalidate, never serve a stale script.
    ctx.header("Cache-Control", "no-cache");
  }
}
