package dev.party.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskRequestTimeTest {
  @Test
  void a_time_or_delay_finer_than_a_microsecond_is_refused_with_bad_timestamp() {
    TaskRequest request = TaskRequest.of("SampleTask");
    for (Runnable finer : new Runnable[] {
        () -> request.runAt(Instant.parse("2014-03-11T05:12:22.086400001Z")),
        () -> request.runIn(Duration.ofNanos(1_500))}) {
      assertThatThrownBy(finer::run).isInstanceOf(InvalidTaskException.class)
          .satisfies(e -> assertThat(((InvalidTaskException) e).code()).isEqualTo(ErrorCode.BAD_TIMESTAMP))
          .hasMessageContaining("finer than a microsecond; Party keeps times to the microsecond");
    }
    assertThat(request.runAt(Instant.parse("2014-03-11T05:12:22.086401Z")).runAt())
        .isEqualTo(Instant.parse("2014-03-11T05:12:22.086401Z"));
  }
}
