package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.task.TaskId;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTextTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static String shown(TaskView task) {
    StringWriter out = new StringWriter();
    TaskText.printTask(new PrintWriter(out, true), task, List.of(), NOW);
    return out.toString();
  }

  private static TaskView task(TaskId continues, TaskId continuedBy, TaskView.LastStep last) {
    return new TaskView(TaskId.of("6b0495ce0000012f984b752f"), "crawl", "default", "{}", TaskState.FINISHED, 0,
        NOW, NOW, 1, 6, null, 100, null, null, null, null, null, NOW, null, null, null, null, continues, continuedBy,
        last);
  }

  @Test
  void a_continued_task_shows_the_task_that_continued_it_and_the_last_step_with_its_state() {
    TaskId next = TaskId.of("6b0495ce0000022f984b752f");
    TaskId last = TaskId.of("6b0495ce0000042f984b752f");
    String text = shown(task(null, next, new TaskView.LastStep(last, TaskState.PENDING, NOW.plusSeconds(60))));

    assertThat(text).containsPattern("continued by\\s+" + next.value())
        .containsPattern("last step\\s+" + last.value() + " \\(SCHEDULED\\)")
        .doesNotContain("continues ");
  }

  @Test
  void a_task_in_no_continuation_shows_no_such_lines() {
    assertThat(shown(task(null, null, null))).doesNotContain("continue", "last step");
  }
}
