package dev.party.store.jdbc;

import dev.party.error.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers that arrive while a write is under way are written together in the next
 * one, so many small writes share one transaction and one commit. There is no timer and no thread:
 * whichever waiting caller takes the lock next writes every request queued so far, through the
 * store's {@link Batch}; each caller returns once the write that holds its request is over, with
 * the answer the batch gave its request ({@link Pending#answer}), or throws what refused it.
 *
 * <p>A caller may bound its wait ({@link #submit(Object, Duration)}): if no write has taken its
 * request by then, it withdraws it and throws {@link StoreException#busy}. Taking and withdrawing
 * are one compare-and-set on the request, so a withdrawn request is never written, and a request
 * once taken is always waited for: "refused busy" and "stored" never both happen.
 */
public final class GroupCommit<R, A> {

  /** Writes a batch. It may refuse single requests ({@link Pending#refuse}); throwing refuses all. */
  @FunctionalInterface
  public interface Batch<R, A> {
    void write(List<Pending<R, A>> batch) throws Exception;
  }

  private static final int QUEUED = 0;
  private static final int TAKEN = 1;
  private static final int WITHDRAWN = 2;

  /** One caller's request, waiting to be written. */
  public static final class Pending<R, A> {
    private final R request;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private volatile boolean done;
    private volatile Throwable error;
    private volatile A answer;

    Pending(R request) {
      this.request = request;
    }

    public R request() {
      return request;
    }

    /** What {@link #submit} returns to this request's caller once the batch is written. */
    public void answer(A value) {
      answer = value;
    }

    /** This request alone was refused; nothing of it may be stored. */
    public void refuse(Throwable reason) {
      error = reason;
    }

    public boolean refused() {
      return error != null;
    }
  }

  private final Batch<R, A> writer;
  private final ConcurrentLinkedQueue<Pending<R, A>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock leader = new ReentrantLock();

  public GroupCommit(Batch<R, A> writer) {
    this.writer = writer;
  }

  /** Returns once {@code request} is written, with its answer; throws what refused it. */
  public A submit(R request) {
    return submit(request, null);
  }

  /**
   * As {@link #submit(Object)}, waiting at most {@code maxWait} (null: no bound) for a write to
   * take the request; past it, throws {@link StoreException#busy} and the request is not written.
   * The write that took it in time is waited for, however long it takes.
   */
  public A submit(R request, Duration maxWait) {
    Pending<R, A> mine = new Pending<>(request);
    queue.add(mine);
    if (!lead(mine, maxWait)) {
      if (mine.state.compareAndSet(QUEUED, WITHDRAWN)) {
        queue.remove(mine);
        throw StoreException.busy("the store is busy: this write waited %d ms for its turn and was not stored; try again shortly"
            .formatted(maxWait.toMillis()));
      }
      if (!mine.done) lead(mine, null); // a write took it meanwhile: wait for that write to end
    }
    switch (mine.error) {
      case null -> {
        return mine.answer;
      }
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(mine.error);
    }
  }

  /** Takes the lock (within {@code maxWait}) and writes what is queued; false when the time ran out. */
  private boolean lead(Pending<R, A> mine, Duration maxWait) {
    if (!lock(maxWait)) return false;
    try {
      if (!mine.done && mine.state.get() != WITHDRAWN) writeQueued();
    } finally {
      leader.unlock();
    }
    return true;
  }

  private boolean lock(Duration maxWait) {
    if (maxWait == null) {
      leader.lock();
      return true;
    }
    try {
      return leader.tryLock(Math.max(0, maxWait.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void writeQueued() {
    List<Pending<R, A>> batch = new ArrayList<>();
    for (Pending<R, A> next; (next = queue.poll()) != null; ) {
      if (next.state.compareAndSet(QUEUED, TAKEN)) batch.add(next);
    }
    if (batch.isEmpty()) return;
    try {
      writer.write(batch);
    } catch (Throwable e) {
      // The write failed as a whole (an Error too, such as running out of memory mid-batch):
      // nothing of the batch is stored, and every caller in it must hear so.
      for (Pending<R, A> pending : batch) if (pending.error == null) pending.error = e;
    } finally {
      for (Pending<R, A> pending : batch) pending.done = true;
    }
  }
}
