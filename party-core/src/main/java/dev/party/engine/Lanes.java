package dev.party.engine;

import dev.party.PartyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's lanes: one per queue with its own worker count, or, when none is given, one general
 * lane of {@code workers} slots for the queues served.
 */
final class Lanes {
  private final List<Lane> all;
  /** Named lanes by queue; empty with a general lane. */
  private final Map<String, Lane> byQueue;

  private Lanes(List<Lane> all, Map<String, Lane> byQueue) {
    this.all = List.copyOf(all);
    this.byQueue = byQueue;
  }

  static Lanes of(PartyConfig config) {
    if (config.queueWorkers().isEmpty()) {
      return new Lanes(List.of(Lane.general(config.queues(), config.workers())), Map.of());
    }
    List<Lane> lanes = new ArrayList<>();
    Map<String, Lane> byQueue = new LinkedHashMap<>();
    config.queueWorkers().forEach((queue, slots) -> {
      Lane lane = Lane.named(queue, slots);
      lanes.add(lane);
      byQueue.put(queue, lane);
    });
    return new Lanes(lanes, Map.copyOf(byQueue));
  }

  List<Lane> all() {
    return all;
  }

  /**
   * The lane that runs tasks of {@code queue}; null when this node has no slots for it (a run-now
   * of another queue's task). The general lane takes every task, whatever its queue: it was
   * claimed by its filter, or asked for by id.
   */
  Lane forQueue(String queue) {
    return byQueue.isEmpty() ? all.getFirst() : byQueue.get(queue);
  }
}
