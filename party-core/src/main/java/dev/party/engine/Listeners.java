package dev.party.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listener calls never break the engine: a listener that throws is logged and ignored. */
final class Listeners {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("a PartyListener threw; ignored: {}", e.toString());
    }
  }
}
