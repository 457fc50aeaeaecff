package dev.party.task;

import dev.party.error.InvalidTaskException;
import java.util.regex.Pattern;

/** 24 lowercase hex characters: seconds since the epoch, then process-random bits and a counter. */
public record TaskId(String value) implements Comparable<TaskId> {
  private static final Pattern FORM = Pattern.compile("[0-9a-f]{24}");

  public TaskId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw InvalidTaskException.invalid(
          "'%s' is not a task id (24 lowercase hex characters)".formatted(value));
    }
  }

  public static TaskId of(String value) {
    return new TaskId(value);
  }

  @Override
  public int compareTo(TaskId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
