package dev.party.testkit;

import dev.party.event.PartyListener;
import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.Released;
import dev.party.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the engine reports, for tests that wait on facts rather than on time. */
public final class RecordingListener implements PartyListener {
  private final ConcurrentHashMap<String, AtomicInteger> started = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> finished = new ConcurrentHashMap<>();
  private final List<Completion> completions = new CopyOnWriteArrayList<>();
  private final List<LeaseRef> fenced = new CopyOnWriteArrayList<>();
  private final List<Released> released = new CopyOnWriteArrayList<>();
  private final AtomicInteger enqueued = new AtomicInteger();
  private final AtomicInteger ran = new AtomicInteger();

  @Override
  public void enqueued(List<TaskId> ids) {
    enqueued.addAndGet(ids.size());
  }

  @Override
  public void started(ClaimedTask task) {
    started.computeIfAbsent(task.task().handler(), h -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void ran(ClaimedTask task, Duration runTime) {
    ran.incrementAndGet();
  }

  /** How many handler runs returned, whatever their outcome. */
  public int ranCount() {
    return ran.get();
  }

  @Override
  public void completed(ClaimedTask task, Completion completion) {
    completions.add(completion);
    if (completion instanceof Completion.Finish) {
      finished.computeIfAbsent(task.task().handler(), h -> new AtomicInteger()).incrementAndGet();
    }
  }

  @Override
  public void fenced(LeaseRef ref) {
    fenced.add(ref);
  }

  @Override
  public void released(List<Released> tasks) {
    released.addAll(tasks);
  }

  public int enqueued() {
    return enqueued.get();
  }

  public int started(String handler) {
    AtomicInteger count = started.get(handler);
    return count == null ? 0 : count.get();
  }

  public int finished(String handler) {
    AtomicInteger count = finished.get(handler);
    return count == null ? 0 : count.get();
  }

  public List<Completion> completions() {
    return List.copyOf(completions);
  }

  public List<LeaseRef> fenced() {
    return List.copyOf(fenced);
  }

  public List<Released> released() {
    return List.copyOf(released);
  }
}
