package dev.party.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Stores a group in one transaction: the members as asked, and the callback waiting until every
 * member is final (finished, failed or cancelled), then released once.
 *
 * @param capacities as in {@link InsertTasks}
 */
public record InsertGroup(String groupId, List<NewTask> members, NewTask callback, Instant now,
    Map<String, Integer> capacities) {
  public InsertGroup {
    members = List.copyOf(members);
    capacities = Map.copyOf(capacities);
  }

  /** Members and callback, in the order they are stored. */
  public List<NewTask> all() {
    return java.util.stream.Stream.concat(members.stream(), java.util.stream.Stream.of(callback)).toList();
  }
}
