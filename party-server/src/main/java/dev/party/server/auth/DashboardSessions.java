package dev.party.server.auth;

import dev.party.server.ApiToken;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The dashboard's logins, in this server's memory: a restart logs everyone out, which is the
 * safe direction. Without tokens (a loopback bind) there are no logins, and one per-server {@link
 * #localCsrf()} secret guards the dashboard's actions instead.
 */
public final class DashboardSessions {
  /** Past this many live logins the oldest are dropped, so logins cannot fill the heap. */
  static final int MAX_SESSIONS = 10_000;

  private final InstantSource clock;
  private final RandomGenerator random;
  private final Duration lifetime;
  private final String localCsrf;
  private final Map<String, DashboardSession> sessions = new ConcurrentHashMap<>();

  /** @param random must be a secure generator in production: session ids and CSRF secrets come from it */
  public DashboardSessions(InstantSource clock, RandomGenerator random, Duration lifetime) {
    this.clock = clock;
    this.random = random;
    this.lifetime = lifetime;
    this.localCsrf = secret();
  }

  /** Starts a session with the scopes of the token that logged in. */
  public DashboardSession open(Set<ApiToken.Scope> scopes) {
    dropExpired();
    if (sessions.size() >= MAX_SESSIONS) dropOldest();
    var session = new DashboardSession(secret(), secret(), Set.copyOf(scopes), clock.instant().plus(lifetime));
    sessions.put(session.id(), session);
    return session;
  }

  /** The live session with this cookie value, if any; an expired one is forgotten. */
  public Optional<DashboardSession> find(String id) {
    if (id == null || id.isBlank()) return Optional.empty();
    DashboardSession session = sessions.get(id);
    if (session == null) return Optional.empty();
    if (!clock.instant().isBefore(session.expiresAt())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  public void close(String id) {
    if (id != null) sessions.remove(id);
  }

  /** The CSRF secret of a server without tokens, given to its dashboard pages. */
  public String localCsrf() {
    return localCsrf;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** Compares a presented CSRF header with the expected secret in constant time. */
  public static boolean csrfMatches(String expected, String presented) {
    if (presented == null) return false;
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  private void dropExpired() {
    var now = clock.instant();
    sessions.values().removeIf(session -> !now.isBefore(session.expiresAt()));
  }

  private void dropOldest() {
    sessions.values().stream().min((a, b) -> a.expiresAt().compareTo(b.expiresAt()))
        .ifPresent(oldest -> sessions.remove(oldest.id()));
  }

  /** 256 random bits as hex. */
  private String secret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
