package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.party.Party;
import dev.party.cleanup.TaskCleanup;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.Outcome;
import dev.party.task.TaskQuery;
import dev.party.task.TaskRequest;
import dev.party.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** party cleanup, in process, on a real SQLite file. */
class CleanupCommandTest {
  @TempDir Path dir;

  /** Two tasks that ended long ago (well past the default retention of 7 days). */
  private void oldFinishedTasks() {
    MutableClock past = MutableClock.atEpochSecond(1_700_000_000L);
    try (var store = SqliteStore.open(dir.resolve("party.db"), SqliteStore.Durability.NORMAL, past);
        Party party = Party.builder(store).clock(past).workers(1).cleanup(dev.party.CleanupConfig.defaults().off())
            .handlers(h -> h.handler("plain", c -> Outcome.done())).build()) {
      party.enqueue(TaskRequest.of("plain"));
      party.enqueue(TaskRequest.of("plain"));
      assertThat(party.runDue()).isEqualTo(2);
    }
  }

  @Test
  void a_dump_file_that_cannot_be_written_is_a_configuration_problem_and_the_tasks_are_archived() throws Exception {
    oldFinishedTasks();
    Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "a regular file");
    Path completed = notAFolder.resolve("completed.log");

    // The log goes to the real stderr, which CliRun does not capture: read it here.
    Logger cleanupLog = (Logger) LoggerFactory.getLogger(TaskCleanup.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    cleanupLog.addAppender(logged);
    CliRun run;
    try {
      run = CliRun.of("cleanup", "--db", dir.resolve("party.db").toString(), "--completed-dump", completed.toString(),
          "--failed-dump", dir.resolve("failed.log").toString());
    } finally {
      cleanupLog.detachAppender(logged);
    }

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
        .as("the command prints the problem and the summary itself, once").isEmpty();
    assertThat(run.out()).isEqualTo("removed 2 finished and 0 failed or cancelled tasks (archived)\n");
    assertThat(run.err()).startsWith("party: bad_config: cannot write the cleanup dump file " + completed)
        .contains("archive table").doesNotContain("unexpected").doesNotContain("Exception").hasLineCount(1);
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      assertThat(store.list(TaskQuery.all())).isEmpty();
    }
  }
}
