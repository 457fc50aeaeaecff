package dev.party.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size, from Linux's /proc/self/status. */
final class PeakMemory {
  private PeakMemory() {}

  static String read() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) return "unknown (no /proc)";
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .map(line -> {
          long kb = Long.parseLong(line.replaceAll("\\D", ""));
          return "%d MB".formatted(kb / 1024);
        })
        .findFirst().orElse("unknown");
  }
}
