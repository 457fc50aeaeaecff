package dev.party.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.json.Json;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskId;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The map-reduce example on a real SQLite file: files counted in parallel, then merged once. */
class WordCountTest {
  @TempDir Path dir;

  private Party party(SqliteStore store, Path root) {
    return Party.builder(store).handlers(h -> new WordCount(root).register(h)).build();
  }

  @Test
  void counts_the_words_of_every_file_in_a_folder_and_merges_them_once() throws IOException {
    Path texts = Files.createDirectories(dir.resolve("root/texts"));
    Files.writeString(texts.resolve("a.txt"), "the cat and the hat");
    Files.writeString(texts.resolve("b.txt"), "The dog, the cat.");
    Files.writeString(texts.resolve("c.md"), "a hat for a cat");
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db")); Party party = party(store, dir.resolve("root"))) {
      TaskId start = party.enqueue(TaskRequest.of(WordCount.FOLDER, Map.of("folder", "texts", "top", 3)));
      assertThat(party.runDue()).as("the folder, three files, the merge").isEqualTo(5);

      TaskView merge = party.tasks(TaskQuery.all().handler(WordCount.MERGE)).getFirst();
      assertThat(merge.state()).isEqualTo(TaskState.FINISHED);
      JsonNode result = Json.parse(merge.result());
      assertThat(result.get("files").asInt()).isEqualTo(3);
      assertThat(result.get("words").asInt()).isEqualTo(14);
      assertThat(result.get("top").toString()).isEqualTo("{\"the\":4,\"cat\":3,\"a\":2}");
      assertThat(Json.parse(party.task(start).orElseThrow().result()).get("callback").asText()).isEqualTo(merge.id().value());
    }
  }

  @Test
  void a_folder_outside_the_root_is_given_up_on_without_reading_it() throws IOException {
    Files.createDirectories(dir.resolve("root"));
    Files.writeString(dir.resolve("secret.txt"), "private words");
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db")); Party party = party(store, dir.resolve("root"))) {
      TaskId escape = party.enqueue(TaskRequest.of(WordCount.FOLDER, Map.of("folder", "..")));
      TaskId file = party.enqueue(TaskRequest.of(WordCount.COUNT, Map.of("file", "../secret.txt")));
      party.runDue();
      assertThat(party.task(escape).orElseThrow().state()).isEqualTo(TaskState.FAILED);
      assertThat(party.task(file).orElseThrow().state()).isEqualTo(TaskState.FAILED);
      assertThat(party.task(file).orElseThrow().attempts()).isEqualTo(1);
      assertThat(party.task(file).orElseThrow().result()).isNull();
    }
  }
}
