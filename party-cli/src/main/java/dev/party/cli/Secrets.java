package dev.party.cli;

import java.util.regex.Pattern;

/** Keeps passwords out of what Party prints and logs. */
final class Secrets {
  /** A password in a JDBC URL's parameters: {@code ?user=u&password=p}, {@code ;password=p}. */
  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  private Secrets() {}

  static String mask(String text) {
    return text == null ? null : PASSWORD.matcher(text).replaceAll("$1***");
  }
}
