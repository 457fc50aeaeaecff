package dev.party.engine;

import dev.party.PartyClock;
import dev.party.event.PartyListener;
import dev.party.store.Complete;
import dev.party.store.CompleteResult;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.TaskStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a batch of run results in one store call and reports what happened to each. */
final class CompletionWriter {
  private static final Logger log = LoggerFactory.getLogger(CompletionWriter.class);

  private final TaskStore store;
  private final String owner;
  private final PartyClock clock;
  private final PartyListener listener;
  private final Wakeups wakeups;

  CompletionWriter(TaskStore store, String owner, PartyClock clock, PartyListener listener, Wakeups wakeups) {
    this.store = store;
    this.owner = owner;
    this.clock = clock;
    this.listener = listener;
    this.wakeups = wakeups;
  }

  /** Throws the store's exception when nothing could be written; the caller keeps the batch. */
  void write(List<RunResult> batch) {
    List<Completion> completions = batch.stream().map(RunResult::completion).toList();
    CompleteResult result = store.complete(new Complete(owner, completions, clock.pinned()));
    Set<LeaseRef> fenced = new HashSet<>(result.fenced());
    boolean newWork = false;
    for (RunResult run : batch) {
      if (fenced.contains(run.completion().ref())) {
        log.warn(
            "task {} lost its lease before its outcome was written; the outcome was dropped",
            run.claimed().task().id());
        listener.fenced(run.completion().ref());
      } else {
        listener.completed(run.claimed(), run.completion());
        newWork |= !(run.completion() instanceof Completion.Fail);
      }
    }
    // A retry, a release or a continuation may be due at once.
    if (newWork) wakeups.signal();
  }
}
