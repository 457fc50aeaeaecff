package dev.party.schedule;

/** What a schedule does about periods that passed while no node was running. */
public enum Misfire {
  /** Fire once for the latest missed period, then go on from now (the default). */
  FIRE_ONCE,
  /** Fire every missed period, oldest first, each with its own timestamp. */
  CATCH_UP
}
