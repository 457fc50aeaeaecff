package dev.party.store;

/** A worker name held by this process; see {@link TaskStore#lockWorkerName}. */
public interface WorkerNameLock extends AutoCloseable {

  /**
   * Whether this process still holds the name. A lock can be lost without the process dying (its
   * database connection dropped); a store then tries to take it again, and answers false only when
   * another process holds it now. The engine asks on every heartbeat and stops claiming if not.
   */
  boolean stillHeld();

  @Override
  void close();
}
