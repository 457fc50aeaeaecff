package dev.party.store;

/**
 * What {@link TaskStore#declareSchedule} did.
 *
 * @param changed whether anything was written
 * @param skippedFor when the schedule was not declared because this twin already stores its task
 *     (e.g. a schedule added under another name by an earlier version, which allowed that); null
 *     otherwise
 */
public record DeclaredSchedule(boolean changed, ScheduleTwin skippedFor) {
  public static final DeclaredSchedule CHANGED = new DeclaredSchedule(true, null);
  public static final DeclaredSchedule UNCHANGED = new DeclaredSchedule(false, null);

  public static DeclaredSchedule skipped(ScheduleTwin twin) {
    return new DeclaredSchedule(false, twin);
  }
}
