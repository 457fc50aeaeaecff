package dev.party.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers that arrive while a write is under way are written together in the next
 * one, so many small writes share one transaction and one commit. There is no timer and no thread:
 * whichever waiting caller takes the lock next writes every request queued so far, through the
 * store's {@link Batch}; each caller returns once the write that holds its request is over, or
 * throws what refused it.
 */
public final class GroupCommit<R> {

  /** Writes a batch. It may refuse single requests ({@link Pending#refuse}); throwing refuses all. */
  @FunctionalInterface
  public interface Batch<R> {
    void write(List<Pending<R>> batch) throws Exception;
  }

  /** One caller's request, waiting to be written. */
  public static final class Pending<R> {
    private final R request;
    private volatile boolean done;
    private volatile Throwable error;

    Pending(R request) {
      this.request = request;
    }

    public R request() {
      return request;
    }

    /** This request alone was refused; nothing of it may be stored. */
    public void refuse(Throwable reason) {
      error = reason;
    }

    public boolean refused() {
      return error != null;
    }
  }

  private final Batch<R> writer;
  private final ConcurrentLinkedQueue<Pending<R>> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock leader = new ReentrantLock();

  public GroupCommit(Batch<R> writer) {
    this.writer = writer;
  }

  /** Returns once {@code request} is written; throws what refused it. */
  public void submit(R request) {
    Pending<R> mine = new Pending<>(request);
    queue.add(mine);
    leader.lock();
    try {
      if (!mine.done) writeQueued();
    } finally {
      leader.unlock();
    }
    switch (mine.error) {
      case null -> { }
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(mine.error);
    }
  }

  private void writeQueued() {
    List<Pending<R>> batch = new ArrayList<>();
    for (Pending<R> next; (next = queue.poll()) != null; ) batch.add(next);
    try {
      writer.write(batch);
    } catch (Throwable e) {
      // The write failed as a whole (an Error too, such as running out of memory mid-batch):
      // nothing of the batch is stored, and every caller in it must hear so.
      for (Pending<R> pending : batch) if (pending.error == null) pending.error = e;
    } finally {
      for (Pending<R> pending : batch) pending.done = true;
    }
  }
}
