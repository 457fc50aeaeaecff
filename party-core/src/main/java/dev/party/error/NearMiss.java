package dev.party.error;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?": the known name closest to a mistyped one, if it is close enough. */
public final class NearMiss {
  /** At most this many edits apart, ignoring case. */
  static final int MAX_DISTANCE = 3;

  private NearMiss() {}

  public static Optional<String> of(String input, Collection<String> known) {
    String typed = input.toLowerCase(Locale.ROOT);
    return known.stream()
        .min(Comparator.comparingInt(name -> distance(name.toLowerCase(Locale.ROOT), typed)))
        .filter(best -> distance(best.toLowerCase(Locale.ROOT), typed) <= MAX_DISTANCE);
  }

  /** Levenshtein distance. */
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
