package dev.party.server.auth;

import dev.party.server.ApiToken;
import java.time.Instant;
import java.util.Set;

/**
 * A browser logged in to the dashboard with a token. The cookie carries {@code id}; the page
 * carries {@code csrf} in a header on every action, which a page of another site cannot read.
 *
 * @param id the cookie's value: random, unguessable
 * @param csrf the per-session secret every state-changing request must echo in {@code X-Party-CSRF}
 * @param scopes the scopes of the token that logged in
 * @param expiresAt after this the cookie is refused and the user logs in again
 */
public record DashboardSession(String id, String csrf, Set<ApiToken.Scope> scopes, Instant expiresAt) {
  public boolean allows(ApiToken.Scope scope) {
    return scopes.contains(ApiToken.Scope.ADMIN) || scopes.contains(scope);
  }
}
