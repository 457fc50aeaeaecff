package dev.party.store;

/** What {@link TaskStore#purge} did with one task. */
public enum Purged {
  /** The task and its log are gone. */
  PURGED,
  /** There is no such task. */
  NOT_FOUND,
  /** The task is PENDING or RUNNING; nothing was deleted. */
  NOT_FINAL,
  /**
   * The task is final, but it is a chain step whose next step, or a group member whose callback,
   * is still PENDING or RUNNING and will read it; nothing was deleted.
   */
  NEEDED_BY_WORKFLOW
}
