package dev.party.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.task.Group;
import dev.party.task.Handlers;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import dev.party.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Map-reduce with a group: {@code WordCountFolder} fans out one {@code CountWords} task per file of
 * a folder, which run in parallel on any workers, and {@code MergeWordCounts}, the group's
 * callback, adds their counts up once every file is done.
 *
 * <pre>{@code
 * curl -s http://127.0.0.1:8032/tasks -d '{"tasks": [{"party": "WordCountFolder", "data": {"folder": "docs"}}]}'
 * }</pre>
 *
 * Files are read only below {@code root} ({@code docs} under the server's working folder, or
 * {@code PARTY_WORDCOUNT_ROOT}), and only regular files up to 10 MiB, so a request can neither
 * read the server's other files (its config, its database) nor block or exhaust a worker.
 */
public final class WordCount {
  public static final String FOLDER = "WordCountFolder";
  public static final String COUNT = "CountWords";
  public static final String MERGE = "MergeWordCounts";
  private static final Pattern NOT_A_WORD = Pattern.compile("[^\\p{L}']+");

  static final long MAX_FILE_BYTES = 10L << 20;

  private final Path root;

  /** {@code root} need not exist yet: requests are refused until it does. */
  public WordCount(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  void register(Handlers handlers) {
    handlers
        .handler(FOLDER, context -> {
          Path folder = inside(context.data().path("folder").asText("."));
          if (folder != null && !Files.isDirectory(folder)) folder = null;
          if (folder == null) return Outcome.giveUp("'%s' is no folder below %s".formatted(context.data().path("folder").asText(), root));
          List<TaskRequest> files;
          Path base = root.toRealPath();
          try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted()
                .map(file -> TaskRequest.of(COUNT, Map.of("file", base.relativize(file).toString())))
                .toList();
          }
          if (files.isEmpty()) return Outcome.giveUp("no files in " + folder);
          int top = context.data().path("top").asInt(10);
          Group group = context.group(files, TaskRequest.of(MERGE, Map.of("top", top)));
          return Outcome.done(Map.of("files", files.size(), "callback", group.callback().value()));
        })
        .handler(COUNT, context -> {
          Path file = inside(context.data().path("file").asText());
          if (file != null && (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES)) file = null;
          if (file == null) return Outcome.giveUp("'%s' is no regular file of at most 10 MiB below %s".formatted(context.data().path("file").asText(), root));
          Map<String, Integer> counts = new HashMap<>();
          for (String word : NOT_A_WORD.split(Files.readString(file, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))) {
            if (!word.isBlank()) counts.merge(word, 1, Integer::sum);
          }
          return Outcome.done(counts);
        })
        .handler(MERGE, context -> {
          Map<String, Integer> total = new HashMap<>();
          int failed = 0;
          for (TaskView member : context.groupMembers()) {
            if (member.state() != TaskState.FINISHED) {
              failed++;
              continue;
            }
            Json.parse(member.result()).fields().forEachRemaining(word -> total.merge(word.getKey(), word.getValue().asInt(), Integer::sum));
          }
          Map<String, Integer> top = new LinkedHashMap<>();
          total.entrySet().stream()
              .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
              .limit(context.data().path("top").asInt(10))
              .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
          return Outcome.done(Map.of("files", context.groupMembers().size(), "failed", failed,
              "words", total.values().stream().mapToInt(Integer::intValue).sum(), "top", top));
        });
  }

  /** The path below the root, links resolved; null for anything else, which is given up on, not retried. */
  private Path inside(String relative) throws IOException {
    if (!Files.isDirectory(root)) return null;
    Path base = root.toRealPath();
    Path path = base.resolve(relative).normalize();
    if (!path.startsWith(base) || !Files.exists(path)) return null;
    Path real = path.toRealPath();
    return real.startsWith(base) ? real : null;
  }
}
