package dev.party.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFileTest {
  @TempDir Path dir;

  private List<Path> files() throws Exception {
    try (Stream<Path> all = Files.list(dir)) {
      return all.sorted().toList();
    }
  }

  @Test
  void rotates_past_the_size_and_keeps_the_newest_files() throws Exception {
    DumpFile dump = new DumpFile(dir.resolve("completed.log"), 100, 5);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) lines.add("{\"n\":%03d,\"pad\":\"%s\"}".formatted(i, "x".repeat(20)));
    dump.append(lines.subList(0, 30));
    dump.append(lines.subList(30, 100));

    List<Path> files = files();
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("completed.log", "completed.log.1", "completed.log.2", "completed.log.3", "completed.log.4");
    for (Path file : files) assertThat(Files.size(file)).isLessThanOrEqualTo(100);
    List<String> newest = Files.readAllLines(dir.resolve("completed.log"));
    assertThat(newest.getLast()).isEqualTo(lines.getLast());
    List<String> oldestKept = Files.readAllLines(dir.resolve("completed.log.4"));
    assertThat(oldestKept.getFirst()).isNotEqualTo(lines.getFirst());
  }

  @Test
  void a_line_cut_short_by_a_crash_is_ended_before_the_next_one() throws Exception {
    Path path = dir.resolve("failed.log");
    Files.writeString(path, "{\"n\":1}\n{\"n\":");
    new DumpFile(path).append(List.of("{\"n\":2}"));

    assertThat(Files.readAllLines(path)).containsExactly("{\"n\":1}", "{\"n\":", "{\"n\":2}");
  }

  @Test
  void a_line_larger_than_the_limit_gets_a_file_of_its_own() throws Exception {
    DumpFile dump = new DumpFile(dir.resolve("c.log"), 10, 3);
    dump.append(List.of("{\"a\":1}", "{\"big\":\"0123456789\"}", "{\"b\":2}"));

    assertThat(Files.readAllLines(dir.resolve("c.log"))).containsExactly("{\"b\":2}");
    assertThat(Files.readAllLines(dir.resolve("c.log.1"))).containsExactly("{\"big\":\"0123456789\"}");
    assertThat(Files.readAllLines(dir.resolve("c.log.2"))).containsExactly("{\"a\":1}");
  }
}
