package dev.party.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskTypeTest {

  @Test
  void timeout_retention_and_progress_are_kept_through_every_other_setting() {
    TaskType type = TaskType.of("report").timeout(Duration.ofMinutes(2)).retention(Duration.ofDays(7))
        .progress(data -> data.path("done").asInt()).maxAttempts(3).capacity(10).lease(Duration.ofMinutes(1));
    assertThat(type.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(type.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(type.progress()).isNotNull();
    assertThat(type.maxAttempts()).isEqualTo(3);
  }

  @Test
  void no_timeout_retention_or_progress_by_default() {
    TaskType type = TaskType.of("report");
    assertThat(type.timeout()).isNull();
    assertThat(type.retention()).isNull();
    assertThat(type.progress()).isNull();
  }

  @Test
  void a_timeout_or_retention_that_is_not_positive_is_refused_with_the_type_and_value() {
    assertThatThrownBy(() -> TaskType.of("report").timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the timeout of task type 'report' must be positive, not PT0S; leave it out for none");
    assertThatThrownBy(() -> TaskType.of("report").retention(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the retention of task type 'report' must be positive, not PT-1S");
  }
}
