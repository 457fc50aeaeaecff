package dev.party.error;

import java.util.List;

/** Settings that cannot work together; lists every problem at once. */
public final class ConfigException extends PartyException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(ErrorCode.BAD_CONFIG, String.join("; ", problems), null);
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
