package dev.party.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.server.ApiToken;
import dev.party.testkit.MutableClock;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {
  private final MutableClock clock = MutableClock.atEpochSecond(1_900_000_000L);
  private final DashboardSessions sessions = new DashboardSessions(clock, new SplittableRandom(3), Duration.ofHours(8));

  @Test
  void a_session_lasts_its_lifetime_and_then_is_forgotten() {
    DashboardSession session = sessions.open(Set.of(ApiToken.Scope.READ));
    assertThat(session.id()).hasSize(64).isNotEqualTo(session.csrf());
    assertThat(sessions.find(session.id())).contains(session);

    clock.advance(Duration.ofHours(8).minusSeconds(1));
    assertThat(sessions.find(session.id())).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sessions.find(session.id())).isEmpty();
  }

  @Test
  void ids_are_unique_closed_ones_are_gone_and_unknown_ones_find_nothing() {
    DashboardSession a = sessions.open(Set.of(ApiToken.Scope.ADMIN));
    DashboardSession b = sessions.open(Set.of(ApiToken.Scope.ADMIN));
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.csrf()).isNotEqualTo(b.csrf()).isNotEqualTo(sessions.localCsrf());

    sessions.close(a.id());
    assertThat(sessions.find(a.id())).isEmpty();
    assertThat(sessions.find(b.id())).isPresent();
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("")).isEmpty();
    assertThat(sessions.find("0".repeat(64))).isEmpty();
  }

  @Test
  void csrf_secrets_match_only_exactly() {
    assertThat(DashboardSessions.csrfMatches("abc", "abc")).isTrue();
    assertThat(DashboardSessions.csrfMatches("abc", "abd")).isFalse();
    assertThat(DashboardSessions.csrfMatches("abc", "abcd")).isFalse();
    assertThat(DashboardSessions.csrfMatches("abc", null)).isFalse();
  }
}
