package dev.party.engine;

import dev.party.event.PartyListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes run results in batches on its own thread, so a worker slot is free as soon as its handler
 * returns and one transaction covers many completions. While the store is down it keeps the
 * results and retries with backoff; a result that outlives its lease is fenced off when written.
 */
final class Completer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);
  static final int MAX_BATCH = 512;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final CompletionWriter writer;
  private final PartyListener listener;
  private final LinkedBlockingQueue<RunResult> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger unwritten = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closing;

  Completer(CompletionWriter writer, PartyListener listener, String name) {
    this.writer = writer;
    this.listener = listener;
    this.thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  void submit(RunResult result) {
    unwritten.incrementAndGet();
    queue.add(result);
  }

  /** Results submitted and not yet written. */
  int unwritten() {
    return unwritten.get();
  }

  private void loop() {
    List<RunResult> batch = new ArrayList<>();
    Duration backoff = Duration.ofMillis(50);
    while (true) {
      try {
        if (batch.isEmpty()) {
          RunResult first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (closing && queue.isEmpty()) return;
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
        }
        writer.write(batch);
        unwritten.addAndGet(-batch.size());
        batch.clear();
        backoff = Duration.ofMillis(50);
      } catch (InterruptedException e) {
        // close() interrupts only after its deadline: give up the unwritten results; their leases
        // expire and the tasks run again (at least once).
        if (!batch.isEmpty() || !queue.isEmpty()) {
          log.error("{} completions were not written before shutdown", batch.size() + queue.size());
        }
        return;
      } catch (RuntimeException e) {
        listener.storeError("complete", e);
        log.warn("could not write {} completions, retrying in {} ms: {}", batch.size(), backoff.toMillis(), e.toString());
        try {
          Wakeups.pause(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  /** Writes what is queued, then stops; waits at most {@code timeout}. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  void close(Duration timeout) {
    closing = true;
    if (!thread.isAlive()) return;
    try {
      thread.join(timeout);
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join();
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
  }
}
