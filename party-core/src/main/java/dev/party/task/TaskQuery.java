package dev.party.task;

/**
 * A page of tasks, newest first. Null filters match everything.
 *
 * @param before the cursor: only tasks whose id sorts before this one (the last id of the previous page)
 */
public record TaskQuery(TaskState state, String handler, int limit, TaskId before) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  public TaskQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
  }

  public static TaskQuery all() {
    return new TaskQuery(null, null, DEFAULT_LIMIT, null);
  }

  public TaskQuery state(TaskState value) {
    return new TaskQuery(value, handler, limit, before);
  }

  public TaskQuery handler(String value) {
    return new TaskQuery(state, value, limit, before);
  }

  public TaskQuery limit(int value) {
    return new TaskQuery(state, handler, value, before);
  }

  public TaskQuery before(TaskId value) {
    return new TaskQuery(state, handler, limit, value);
  }
}
