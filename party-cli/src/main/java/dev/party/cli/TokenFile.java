package dev.party.cli;

import dev.party.error.ConfigException;
import dev.party.server.ApiToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Reads API tokens, one per line as {@code SCOPES TOKEN} (e.g. {@code enqueue,read 3f9c...}); blank
 * lines and lines starting with # are skipped. Every bad line is reported at once, by number.
 */
final class TokenFile {
  private TokenFile() {}

  static List<ApiToken> read(Path file) throws IOException {
    if (!Files.isReadable(file)) throw new ConfigException("--token-file " + file + " cannot be read");
    List<ApiToken> tokens = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String where = file + " line " + (i + 1);
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        problems.add(where + ": expected SCOPES TOKEN, e.g. 'enqueue,read 3f9c...'");
        continue;
      }
      try {
        EnumSet<ApiToken.Scope> scopes = EnumSet.noneOf(ApiToken.Scope.class);
        for (String scope : parts[0].split(",")) scopes.add(ApiToken.Scope.parse(scope));
        tokens.add(new ApiToken(parts[1], scopes));
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return tokens;
  }
}
