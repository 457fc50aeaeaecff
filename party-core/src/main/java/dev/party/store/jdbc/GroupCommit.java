package dev.party.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers that arrive while a write is under way are written together in the next
 * one, so many small writes share one transaction and one commit. There is no timer and no thread:
 * whichever waiting caller takes the lock next writes every request queued so far, through the
 * store's {@link Batch}; each caller returns once the write that holds its request is over, with
 * the answer the batch gave its request ({@link Pending#answer}), or throws what refused it.
 */
public final class GroupCommit<R, A> {

  /** Writes a batch. It may refuse single requests ({@link Pending#refuse}); throwing refuses all. */
  @FunctionalInterface
  public interface Batch<R, A> {
    void write(List<Pending<R, A>> batch) throws Exception;
  }

  /** One caller's request, waiting to be written. */
  public static final class Pending<R, A> {
    private final R request;
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
    Pending<R, A> mine = new Pending<>(request);
    queue.add(mine);
    leader.lock();
    try {
      if (!mine.done) writeQueued();
    } finally {
      leader.unlock();
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

  private void writeQueued() {
    List<Pending<R, A>> batch = new ArrayList<>();
    for (Pending<R, A> next; (next = queue.poll()) != null; ) batch.add(next);
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
