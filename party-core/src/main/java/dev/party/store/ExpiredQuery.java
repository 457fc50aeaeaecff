package dev.party.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Final tasks (FINISHED, FAILED, CANCELLED) that ended before {@code finishedBefore}, oldest id
 * first, at most {@code limit}: the cleanup's batch. A chain step whose next step has not ended and
 * a group member whose callback has not ended are left out: those still read them.
 *
 * @param handler only this handler's tasks; null for every handler not in {@code except}
 * @param except handlers left out when {@code handler} is null (those with a retention of their own)
 */
public record ExpiredQuery(String handler, Set<String> except, Instant finishedBefore, int limit) {
  public ExpiredQuery {
    Objects.requireNonNull(finishedBefore, "finishedBefore");
    except = except == null ? Set.of() : Set.copyOf(except);
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, not " + limit);
  }
}
