package dev.party.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies numbered SQL files ({@code V001__create_party_task.sql}, …) from the classpath,
 * recording them in {@code party_schema_version}. Files already applied are
 * skipped, so it runs safely on every start. It holds no SQL of its own beyond that table.
 */
public final class Migrator {
  private static final Pattern NAME = Pattern.compile("V(\\d{3})__[a-z0-9_]+\\.sql");

  private final Class<?> anchor;
  private final String folder;
  private final List<String> files;

  /**
   * @param anchor a class beside the files, for resource loading
   * @param folder the resource folder, e.g. {@code /dev/party/store/sqlite/migrations}
   * @param files the file names, in order
   */
  public Migrator(Class<?> anchor, String folder, List<String> files) {
    for (String file : files) {
      if (!NAME.matcher(file).matches()) throw new IllegalArgumentException("bad migration name " + file);
    }
    this.anchor = anchor;
    this.folder = folder;
    this.files = List.copyOf(files);
  }

  /**
   * Applies what is missing and returns the versions applied now. Runs inside the caller's
   * transaction, which also serialises nodes that start at once (SQLite's write lock, or an
   * advisory lock on PostgreSQL).
   */
  public List<Integer> migrate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS party_schema_version"
              + " (version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    }
    List<Integer> applied = new ArrayList<>();
    int current = currentVersion(connection);
    for (String file : files) {
      int version = version(file);
      if (version <= current) continue;
      apply(connection, file, version);
      applied.add(version);
    }
    return applied;
  }

  private void apply(Connection connection, String file, int version) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements(read(file))) statement.execute(sql);
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO party_schema_version (version, name) VALUES (?, ?)")) {
      insert.setInt(1, version);
      insert.setString(2, file);
      insert.executeUpdate();
    }
  }

  private static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT max(version) FROM party_schema_version")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }

  private static int version(String file) {
    Matcher matcher = NAME.matcher(file);
    if (!matcher.matches()) throw new IllegalStateException(file);
    return Integer.parseInt(matcher.group(1));
  }

  private String read(String file) {
    String path = folder + "/" + file;
    try (InputStream in = anchor.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("migration " + path + " is missing from the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Splits on semicolons that end a line (a trailing {@code --} comment aside); migration files
   * keep one statement per such block. A PostgreSQL function body between {@code $$} quotes, and a
   * SQLite trigger's {@code BEGIN ... END;}, hold semicolons of their own and stay one statement.
   */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inDollarQuote = false;
    boolean inTriggerBody = false;
    for (String line : script.split("\n")) {
      String code = withoutComment(line).strip();
      if (code.isEmpty() && line.strip().startsWith("--")) continue;
      current.append(line).append('\n');
      if ((code.split("\\$\\$", -1).length - 1) % 2 == 1) inDollarQuote = !inDollarQuote;
      String upper = code.toUpperCase(Locale.ROOT);
      if (!inDollarQuote && upper.endsWith("BEGIN")
          && current.toString().strip().toUpperCase(Locale.ROOT).startsWith("CREATE TRIGGER")) {
        inTriggerBody = true;
      }
      boolean ends = code.endsWith(";") && !inDollarQuote && (!inTriggerBody || upper.equals("END;"));
      if (ends) {
        statements.add(current.toString().strip());
        current.setLength(0);
        inTriggerBody = false;
      }
    }
    if (!current.toString().isBlank()) statements.add(current.toString().strip());
    return statements;
  }

  /** The line up to a {@code --} comment that is not inside a quoted string. */
  private static String withoutComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') quoted = !quoted;
      else if (!quoted && c == '-' && i + 1 < line.length() && line.charAt(i + 1) == '-') return line.substring(0, i);
    }
    return line;
  }
}
