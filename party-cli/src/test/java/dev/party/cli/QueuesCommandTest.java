package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.QueueView;
import dev.party.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** party queues, queues pause and queues resume, in process, on a real SQLite file. */
class QueuesCommandTest {
  @TempDir Path dir;

  private String db() {
    return dir.resolve("party.db").toString();
  }

  private List<QueueView> queues() {
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      return store.queues();
    }
  }

  @Test
  void a_queue_is_paused_listed_with_its_pending_count_and_resumed() {
    assertThat(CliRun.of("enqueue", "--db", db(), "--queue", "video", "SampleTask").exitCode()).isZero();
    assertThat(CliRun.of("enqueue", "--db", db(), "SampleTask").exitCode()).isZero();

    CliRun paused = CliRun.of("queues", "pause", "--db", db(), "video");
    assertThat(paused.exitCode()).as(paused.err()).isZero();
    assertThat(paused.out()).contains("paused video (1 pending, 0 running)");
    assertThat(queues()).extracting(QueueView::name, QueueView::paused)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default", false), org.assertj.core.groups.Tuple.tuple("video", true));

    CliRun listed = CliRun.of("queues", "--db", db());
    assertThat(listed.out().lines().toList())
        .anySatisfy(line -> assertThat(line).startsWith("default").contains(" active ").containsPattern(" 1 +0"))
        .anySatisfy(line -> assertThat(line).startsWith("video").contains(" paused ").containsPattern(" 1 +0"));

    CliRun resumed = CliRun.of("queues", "--db", db(), "resume", "video");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resumed video (1 pending)");
    assertThat(queues()).noneMatch(QueueView::paused);
  }

  @Test
  void a_bad_queue_name_is_refused_and_changes_nothing() {
    CliRun run = CliRun.of("queues", "pause", "--db", db(), " video");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("must not start or end with spaces");
    assertThat(queues()).isEmpty();
  }
}
