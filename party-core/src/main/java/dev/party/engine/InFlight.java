package dev.party.engine;

import dev.party.store.ClaimedTask;
import dev.party.store.LeaseRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The runs this engine holds leases for: the lease length of each, for heartbeats, and when it was
 * last renewed, so a run whose lease this node could not renew in time is stopped before another
 * node may take its task (see {@link Hold}).
 */
final class InFlight {
  private final Map<LeaseRef, Hold> runs = new ConcurrentHashMap<>();

  /**
   * @param sentAt System.nanoTime() before the claim was sent: the store's lease runs from a later
   *     instant, so a deadline counted from here never ends after it
   */
  Hold add(ClaimedTask task, Duration lease, long sentAt) {
    Hold hold = new Hold(lease, sentAt);
    runs.put(task.ref(), hold);
    return hold;
  }

  void remove(LeaseRef ref) {
    Hold hold = runs.remove(ref);
    if (hold != null) hold.forget();
  }

  /**
   * Stops extending this run's lease (it passed its timeout). Its outcome is still written if the
   * handler returns while the lease holds; if it never does, the lease expires and the task is taken back.
   */
  void stopHeartbeats(LeaseRef ref) {
    Hold hold = runs.get(ref);
    if (hold != null) hold.heartbeats = false;
  }

  boolean contains(LeaseRef ref) {
    return runs.containsKey(ref);
  }

  Hold hold(LeaseRef ref) {
    return runs.get(ref);
  }

  /** The run no longer holds its lease (cancelled, or taken back): its handler should stop. */
  void markLost(LeaseRef ref) {
    Hold hold = runs.get(ref);
    if (hold != null) hold.lost = true;
  }

  boolean isLost(LeaseRef ref) {
    Hold hold = runs.get(ref);
    return hold != null && hold.lost;
  }

  /** The store extended these leases by a heartbeat sent at {@code sentAt} (System.nanoTime()). */
  void renewed(List<LeaseRef> refs, long sentAt) {
    for (LeaseRef ref : refs) {
      Hold hold = runs.get(ref);
      if (hold != null) hold.renewedAt = Math.max(hold.renewedAt, sentAt);
    }
  }

  boolean isEmpty() {
    return runs.isEmpty();
  }

  int size() {
    return runs.size();
  }

  /** The runs to extend, by lease length; not those past their timeout. */
  Map<Duration, List<LeaseRef>> byLease() {
    return runs.entrySet().stream()
        .filter(entry -> entry.getValue().heartbeats)
        .collect(Collectors.groupingBy(entry -> entry.getValue().lease,
            Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
  }

  /**
   * How long before its lease ends a run that could not renew it is stopped: a tenth of the lease,
   * at most a second. It leaves the handler that much time to stop before another node may take
   * its task.
   */
  static Duration stopEarly(Duration lease) {
    Duration tenth = lease.dividedBy(10);
    return tenth.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tenth;
  }

  /**
   * One run's hold on its lease as this node knows it. The lease in the store ends {@code lease}
   * after the store handled the last renewal; this node counts from before it sent that renewal,
   * so its {@link #deadline()} (a little earlier still, see {@link #stopEarly}) falls before the
   * store's. Then the run is {@link #expire() expired}: marked lost and its thread interrupted.
   * Expiring and ending exclude each other, so a late interrupt never hits the thread's next run.
   */
  static final class Hold {
    final Duration lease;
    private final long keepNanos;
    volatile long renewedAt;
    volatile boolean heartbeats = true;
    /** Cancelled, taken back, or expired: {@link dev.party.task.TaskContext#isCancelled()}. */
    volatile boolean lost;
    private Thread thread;
    private boolean expired;
    private boolean ended;

    private Hold(Duration lease, long sentAt) {
      this.lease = lease;
      this.keepNanos = lease.minus(stopEarly(lease)).toNanos();
      this.renewedAt = sentAt;
    }

    /** System.nanoTime() at which the run stops unless renewed: shortly before the store may let the lease go. */
    long deadline() {
      return renewedAt + keepNanos;
    }

    /** On the run's thread as the handler starts; false when the lease already expired. */
    synchronized boolean start() {
      if (expired) return false;
      thread = Thread.currentThread();
      return true;
    }

    /** Marks the run lost and interrupts its handler; false once it ended (or expired before). */
    synchronized boolean expire() {
      if (ended || expired) return false;
      expired = true;
      lost = true;
      if (thread != null) thread.interrupt();
      return true;
    }

    synchronized boolean expired() {
      return expired;
    }

    /**
     * On the run's thread once the handler returned or threw. Returns whether the lease expired
     * meanwhile; if it did, clears the interrupt {@link #expire()} sent.
     */
    boolean end() {
      synchronized (this) {
        ended = true;
        if (!expired) return false;
      }
      Thread.interrupted();
      return true;
    }

    /** No longer held here (written, or dropped): the deadline check stops. */
    private synchronized void forget() {
      ended = true;
    }

    synchronized boolean ended() {
      return ended;
    }
  }
}
