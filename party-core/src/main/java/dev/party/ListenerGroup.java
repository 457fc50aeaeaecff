package dev.party;

import dev.party.event.PartyListener;
import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.LeaseRef;
import dev.party.store.Released;
import dev.party.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Several listeners heard as one, in order; each is called even when an earlier one throws. */
record ListenerGroup(List<PartyListener> members) implements PartyListener {

  private void each(Consumer<PartyListener> call) {
    RuntimeException first = null;
    for (PartyListener member : members) {
      try {
        call.accept(member);
      } catch (RuntimeException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }

  @Override
  public void enqueued(List<TaskId> ids) {
    each(l -> l.enqueued(ids));
  }

  @Override
  public void claimed(String owner, int count) {
    each(l -> l.claimed(owner, count));
  }

  @Override
  public void started(ClaimedTask task) {
    each(l -> l.started(task));
  }

  @Override
  public void ran(ClaimedTask task, Duration runTime) {
    each(l -> l.ran(task, runTime));
  }

  @Override
  public void completed(ClaimedTask task, Completion completion) {
    each(l -> l.completed(task, completion));
  }

  @Override
  public void fenced(LeaseRef ref) {
    each(l -> l.fenced(ref));
  }

  @Override
  public void released(List<Released> released) {
    each(l -> l.released(released));
  }

  @Override
  public void storeError(String operation, Exception error) {
    each(l -> l.storeError(operation, error));
  }
}
