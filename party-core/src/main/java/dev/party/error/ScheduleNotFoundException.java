package dev.party.error;

public final class ScheduleNotFoundException extends PartyException {

  public ScheduleNotFoundException(String name) {
    super(ErrorCode.NOT_FOUND, "no schedule named '%s'".formatted(name), null);
  }
}
