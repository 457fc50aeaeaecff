package dev.party.server.api;

import dev.party.server.ApiToken;
import dev.party.server.auth.DashboardSession;
import java.util.Set;

/**
 * Who a request was let through as, for routes that answer differently per caller (the
 * dashboard's session route).
 *
 * @param scopes what the caller may do
 * @param csrf the secret its browser must echo on actions; null for a bearer token, which needs none
 * @param viaCookie whether a dashboard login cookie let it in
 */
public record Caller(Set<ApiToken.Scope> scopes, String csrf, boolean viaCookie) {
  public static Caller local(String csrf) {
    return new Caller(Set.of(ApiToken.Scope.ADMIN), csrf, false);
  }

  static Caller of(DashboardSession session) {
    return new Caller(session.scopes(), session.csrf(), true);
  }

  static Caller of(ApiToken token) {
    return new Caller(token.scopes(), null, false);
  }

  public boolean mayAct() {
    return scopes.contains(ApiToken.Scope.ADMIN);
  }
}
