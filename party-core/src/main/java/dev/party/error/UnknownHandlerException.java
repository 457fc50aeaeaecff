package dev.party.error;

import java.util.Collection;

/** A task names a handler that is not registered; nothing is stored. */
public final class UnknownHandlerException extends PartyException {
  private final String handler;

  public UnknownHandlerException(String handler, Collection<String> known) {
    super(ErrorCode.UNKNOWN_HANDLER, message(handler, known), null);
    this.handler = handler;
  }

  public String handler() {
    return handler;
  }

  private static String message(String handler, Collection<String> known) {
    String text = "no handler named '%s' is registered".formatted(handler);
    return NearMiss.of(handler, known)
        .map(best -> text + " (did you mean '%s'?)".formatted(best))
        .orElse(text + "; known handlers: " + String.join(", ", known.stream().sorted().toList()));
  }
}
