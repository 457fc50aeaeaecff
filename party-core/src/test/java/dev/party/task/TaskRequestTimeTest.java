package dev.party.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskRequestTimeTest {
  @Test
  void a_java_time_or_delay_finer_than_a_microsecond_is_cut_so_the_request_holds_what_is_stored() {
    TaskRequest request = TaskRequest.of("SampleTask");
    assertThat(request.runAt(Instant.parse("2014-03-11T05:12:22.086400999Z")).runAt())
        .isEqualTo(Instant.parse("2014-03-11T05:12:22.086400Z"));
    assertThat(request.runIn(Duration.ofNanos(1_500)).runIn()).isEqualTo(Duration.ofNanos(1_000));
    assertThat(request.runAt(Instant.parse("2014-03-11T05:12:22.086401Z")).runAt())
        .isEqualTo(Instant.parse("2014-03-11T05:12:22.086401Z"));
  }
}
