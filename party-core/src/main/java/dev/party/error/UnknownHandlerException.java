package dev.party.error;

import java.util.Collection;
import java.util.Comparator;

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
    return known.stream()
        .min(Comparator.comparingInt(name -> distance(name.toLowerCase(), handler.toLowerCase())))
        .filter(best -> distance(best.toLowerCase(), handler.toLowerCase()) <= 3)
        .map(best -> text + " (did you mean '%s'?)".formatted(best))
        .orElse(text + "; known handlers: " + String.join(", ", known.stream().sorted().toList()));
  }

  /** Levenshtein distance, for "did you mean" suggestions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
