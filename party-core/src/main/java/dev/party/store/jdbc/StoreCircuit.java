package dev.party.store.jdbc;

import dev.party.error.StoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A circuit breaker around a store's calls: after a call fails because the database cannot be
 * reached, the circuit opens and every call fails at once with {@link StoreException} instead of
 * waiting out a connection timeout of its own. One call every {@code probeEvery} goes through as a
 * probe; when it succeeds the circuit closes. Failures that are the statement's (a conflict, a
 * deadlock, a bad value) say nothing about reachability and leave the circuit alone.
 */
public final class StoreCircuit {
  /** How often a call may test an open circuit. */
  public static final Duration DEFAULT_PROBE_EVERY = Duration.ofSeconds(1);

  private final InstantSource clock;
  private final Duration probeEvery;
  /** True when a connection failure may be a busy pool rather than a database that is down. */
  private final BooleanSupplier poolFull;
  private Instant openedAt;
  private Instant lastProbe;
  private boolean probing;
  private String reason;

  /**
   * @param poolFull says whether every pooled connection is in use: a connection time-out then
   *     means a busy pool, not an outage
   */
  public StoreCircuit(InstantSource clock, Duration probeEvery, BooleanSupplier poolFull) {
    this.clock = clock;
    this.probeEvery = probeEvery;
    this.poolFull = poolFull;
  }

  /** Runs {@code call} unless the circuit is open; opens or closes it by the outcome. */
  public <T> T call(String operation, Supplier<T> call) {
    boolean probe = admit(operation);
    try {
      T result = call.get();
      closed();
      return result;
    } catch (StoreException e) {
      if (outage(e)) opened(e);
      else if (probe) closed(); // the database answered, even if with a refusal
      throw e;
    } catch (RuntimeException | Error e) {
      if (probe) closed();
      throw e;
    }
  }

  /**
   * Throws as {@link #call} would refuse, without taking the probe: for a caller about to queue
   * behind other calls (a group commit) that must not wait for the probe's attempt.
   */
  public synchronized void refuseWhileOpen(String operation) {
    if (openedAt == null || (!probing && !clock.instant().isBefore(lastProbe.plus(probeEvery)))) return;
    throw refusal(operation);
  }

  /** True while calls are refused at once. */
  public synchronized boolean open() {
    return openedAt != null;
  }

  private synchronized boolean admit(String operation) {
    if (openedAt == null) return false;
    Instant now = clock.instant();
    if (!probing && !now.isBefore(lastProbe.plus(probeEvery))) {
      probing = true;
      lastProbe = now;
      return true;
    }
    throw refusal(operation);
  }

  private StoreException refusal(String operation) {
    return new StoreException("%s not tried: the database has been unreachable since %s (%s); one call per %d ms tests it"
        .formatted(operation, openedAt, reason, probeEvery.toMillis()), null);
  }

  private synchronized void opened(StoreException e) {
    Instant now = clock.instant();
    if (openedAt == null) openedAt = now;
    lastProbe = now;
    probing = false;
    reason = e.getMessage();
  }

  private synchronized void closed() {
    openedAt = null;
    probing = false;
  }

  /** A failure to reach the database: a connection-class SQLSTATE (08...), or no connection with room in the pool. */
  private boolean outage(StoreException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException && !poolFull.getAsBoolean()) return true;
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) return true;
      if (cause instanceof java.io.IOException) return true;
      if (cause == cause.getCause()) break;
    }
    return false;
  }
}
