package dev.party.engine;

import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker slots for one named queue, or the general pool for all queues (or a set of them). Each
 * lane has threads of its own, so tasks waiting in one lane never hold a thread another needs: a
 * flood of one queue cannot starve the others. The dispatcher counts a lane's outstanding claims
 * and claims for it within its own bound.
 */
final class Lane {
  /** The queue name; null for the general pool. */
  final String queue;
  /** The claim filter: null for every queue. */
  final Set<String> queues;
  final int slots;
  /** Slots taken: by tasks running (or about to start), and by claims and run-nows in progress. */
  final AtomicInteger outstanding = new AtomicInteger();
  /** Run-nows waiting for a slot of this lane: claims leave that many idle slots to them. */
  final AtomicInteger wanted = new AtomicInteger();
  private ExecutorService executor;
  private Semaphore running;

  private Lane(String queue, Set<String> queues, int slots) {
    this.queue = queue;
    this.queues = queues;
    this.slots = slots;
  }

  static Lane general(Set<String> queues, int slots) {
    return new Lane(null, queues, slots);
  }

  static Lane named(String queue, int slots) {
    return new Lane(queue, Set.of(queue), slots);
  }

  /** Creates the threads' executor; threads themselves start on demand. */
  void start(boolean virtualThreads) {
    String prefix = queue == null ? "party-worker-" : "party-worker-" + queue + "-";
    executor = virtualThreads
        ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 1).factory())
        : Executors.newFixedThreadPool(slots, Thread.ofPlatform().name(prefix, 1).factory());
    // Virtual threads are made per task; this keeps at most `slots` of them running handlers.
    running = new Semaphore(slots);
  }

  /** @throws java.util.concurrent.RejectedExecutionException once shut down */
  void execute(Runnable run) {
    executor.execute(run);
  }

  void acquire() {
    running.acquireUninterruptibly();
  }

  void release() {
    running.release();
  }

  /** Handlers running now on this lane's slots. */
  int running() {
    return running == null ? 0 : slots - running.availablePermits();
  }

  void shutdown() {
    executor.shutdown();
  }

  /** Waits until the lane's runs ended or {@code deadline} (System.nanoTime) passed. */
  boolean awaitTermination(long deadline) throws InterruptedException {
    return executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Interrupts the runs; returns the ones that never started. */
  java.util.List<Runnable> shutdownNow() {
    return executor.shutdownNow();
  }

  @Override
  public String toString() {
    return queue == null ? "all queues" : "queue " + queue;
  }
}
