package dev.party.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.Party;
import dev.party.error.ConfigException;
import dev.party.error.QueueFullException;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators change a handler's settings by name (the config file's task-types), whoever registers it. */
class TaskTypeChangeTest {
  @TempDir Path dir;

  @Test
  void a_change_by_name_applies_to_the_handler_as_it_registers() {
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db"));
        Party party = Party.builder(store)
            .taskType("flaky", type -> type.maxAttempts(1))
            .taskType("flaky", type -> type.capacity(5))
            .handlers(h -> h.handler(TaskType.of("flaky").maxAttempts(4), com.fasterxml.jackson.databind.JsonNode.class, context -> {
              throw new IllegalStateException("down");
            }))
            .build()) {
      TaskId id = party.enqueue(TaskRequest.of("flaky"));
      for (int i = 0; i < 4; i++) party.enqueue(TaskRequest.of("flaky"));
      assertThatThrownBy(() -> party.enqueue(TaskRequest.of("flaky"))).as("the second change: capacity 5")
          .isInstanceOf(QueueFullException.class);
      party.runDue();
      assertThat(party.task(id).orElseThrow().state()).as("one attempt, not four").isEqualTo(TaskState.FAILED);
      assertThat(party.task(id).orElseThrow().maxAttempts()).isEqualTo(1);
    }
  }

  @Test
  void a_change_for_a_handler_nobody_registered_is_refused_with_the_names_there_are() {
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db"))) {
      var builder = Party.builder(store)
          .taskType("SendEmial", type -> type.maxAttempts(2))
          .handlers(h -> h.handler("SendEmail", context -> Outcome.done()));
      assertThatThrownBy(builder::build).isInstanceOf(ConfigException.class)
          .hasMessageContaining("'SendEmial'").hasMessageContaining("[SendEmail, TaskCleanup]");
    }
  }

  @Test
  void a_change_that_breaks_the_types_rules_names_the_handler() {
    try (SqliteStore store = SqliteStore.open(dir.resolve("party.db"))) {
      var builder = Party.builder(store)
          .taskType("SendEmail", type -> type.maxAttempts(0))
          .handlers(h -> h.handler("SendEmail", context -> Outcome.done()));
      assertThatThrownBy(builder::build).isInstanceOf(ConfigException.class)
          .hasMessageContaining("the settings given for 'SendEmail': maxAttempts must be between 1 and");
    }
  }
}
