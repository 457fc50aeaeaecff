package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  private final RestartBackoff backoff = RestartBackoff.defaults();

  @Test
  void the_delay_doubles_from_one_second_up_to_a_minute() {
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void a_process_that_stayed_up_a_while_starts_the_row_again() {
    assertThat(backoff.failuresInARow(5, Duration.ofMillis(300))).isEqualTo(6);
    assertThat(backoff.failuresInARow(5, Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(backoff.failuresInARow(0, Duration.ZERO)).isEqualTo(1);
  }
}
