package dev.party.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A bearer token and what it may do. Only a digest of the token is kept, and tokens are compared
 * by digest in constant time, so neither a timing nor a heap dump gives one away.
 */
public final class ApiToken {
  /** What a token may do; {@code ADMIN} may do everything. */
  public enum Scope {
    /** GET routes: tasks, status, metrics. */
    READ,
    /** POST /tasks. */
    ENQUEUE,
    /** Everything, including cancel, retry and run-now. */
    ADMIN;

    public static Scope parse(String text) {
      try {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown token scope '" + text + "'; use read, enqueue or admin");
      }
    }
  }

  /** Tokens shorter than this are refused: they can be guessed. */
  public static final int MIN_LENGTH = 16;

  private final byte[] digest;
  private final Set<Scope> scopes;

  public ApiToken(String token, Set<Scope> scopes) {
    if (token == null || token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("an API token needs at least " + MIN_LENGTH + " characters");
    }
    if (scopes.isEmpty()) throw new IllegalArgumentException("an API token needs at least one scope");
    this.digest = digest(token);
    this.scopes = Set.copyOf(EnumSet.copyOf(scopes));
  }

  public boolean matches(String presented) {
    return MessageDigest.isEqual(digest, digest(presented));
  }

  /**
   * The token {@code presented} is, among {@code tokens}. Every token is compared, so the time
   * taken does not tell which one nearly matched.
   */
  public static Optional<ApiToken> find(List<ApiToken> tokens, String presented) {
    ApiToken found = null;
    for (ApiToken token : tokens) {
      if (token.matches(presented) && found == null) found = token;
    }
    return Optional.ofNullable(found);
  }

  public boolean allows(Scope scope) {
    return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
  }

  public Set<Scope> scopes() {
    return scopes;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ApiToken" + scopes;
  }
}
