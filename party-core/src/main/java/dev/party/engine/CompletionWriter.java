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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns run results into a {@link Complete} request and reports what happened to each. */
final class CompletionWriter {
  private static final Logger log = LoggerFactory.getLogger(CompletionWriter.class);

  private final TaskStore store;
  private final String owner;
  private final PartyClock clock;
  private final PartyListener listener;
  private final InFlight inFlight;
  private final Consumer<LeaseRef> written;

  /** @param written told of each run whose outcome was written (or refused as fenced) */
  CompletionWriter(TaskStore store, String owner, PartyClock clock, PartyListener listener, InFlight inFlight,
      Consumer<LeaseRef> written) {
    this.store = store;
    this.owner = owner;
    this.clock = clock;
    this.listener = listener;
    this.inFlight = inFlight;
    this.written = written;
  }

  Complete request(List<RunResult> batch) {
    return new Complete(owner, batch.stream().map(RunResult::completion).toList(), clock.pinned());
  }

  /** Writes on its own; throws the store's exception when nothing could be written. */
  void write(List<RunResult> batch) {
    report(batch, store.complete(request(batch)));
  }

  /** Reports a written batch: fenced runs are logged, the rest go to the listener. */
  void report(List<RunResult> batch, CompleteResult result) {
    Set<LeaseRef> fenced = new HashSet<>(result.fenced());
    for (RunResult run : batch) {
      LeaseRef ref = run.completion().ref();
      inFlight.remove(ref);
      if (fenced.contains(ref)) {
        log.warn("task {} lost its lease before its outcome was written; the outcome was dropped", ref.id());
        Listeners.safely(() -> listener.fenced(ref));
      } else {
        Listeners.safely(() -> listener.completed(run.claimed(), run.completion()));
      }
      written.accept(ref);
    }
  }
}
