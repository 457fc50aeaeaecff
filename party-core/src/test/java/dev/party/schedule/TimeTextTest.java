package dev.party.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeTextTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      1 day               | PT24H
      90 minutes          | PT1H30M
      2 hours 30 minutes  | PT2H30M
      2 hours, 30 minutes | PT2H30M
      1 week              | PT168H
      10s                 | PT10S
      250 ms              | PT0.25S
      1 minute            | PT1M
      3 hrs and 5 mins    | PT3H5M
      PT1H30M             | PT1H30M
      """)
  void reads_delays_as_people_write_them(String text, Duration expected) {
    assertThat(TimeText.duration(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "10 parsecs", "1 day later", "minutes 10", "P1X",
      "99999999999999999999 days", "9223372036854775807 weeks", "PT9223372036854775807H"})
  void refuses_what_it_cannot_read_with_bad_timestamp(String text) {
    assertThatThrownBy(() -> TimeText.duration(text))
        .isInstanceOf(InvalidTaskException.class)
        .satisfies(e -> assertThat(((InvalidTaskException) e).code()).isEqualTo(ErrorCode.BAD_TIMESTAMP));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      2014-03-11T05:12:22.086400        | 2014-03-11T05:12:22.086400Z
      2014-03-11T05:12:22+01:00         | 2014-03-11T04:12:22Z
      2014-03-11T05:12:22Z              | 2014-03-11T05:12:22Z
      1394514742000                     | 2014-03-11T05:12:22Z
      2014-03-11 05:12:22.086400        | 2014-03-11T05:12:22.086400Z
      """)
  void reads_instants_with_or_without_offset_or_as_epoch_millis(String text, Instant expected) {
    assertThat(TimeText.instant(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2014-03-11 05:12:22.086400123", "2014-03-11T05:12:22.0864001Z",
      "2014-03-11T06:12:22.000000001+01:00"})
  void refuses_a_time_finer_than_a_microsecond_which_no_store_keeps(String text) {
    assertThatThrownBy(() -> TimeText.instant(text)).isInstanceOf(InvalidTaskException.class)
        .satisfies(e -> assertThat(((InvalidTaskException) e).code()).isEqualTo(ErrorCode.BAD_TIMESTAMP))
        .hasMessage("'%s' is finer than a microsecond; Party keeps times to the microsecond", text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.0000001S", "PT1.0000001S", "pt0.000000001s"})
  void refuses_a_delay_finer_than_a_microsecond(String text) {
    assertThatThrownBy(() -> TimeText.duration(text)).isInstanceOf(InvalidTaskException.class)
        .satisfies(e -> assertThat(((InvalidTaskException) e).code()).isEqualTo(ErrorCode.BAD_TIMESTAMP))
        .hasMessage("'%s' is finer than a microsecond; Party keeps times to the microsecond", text);
    assertThat(TimeText.duration("PT0.000001S")).isEqualTo(java.time.Duration.ofNanos(1_000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "2014-13-01T00:00:00", "11/03/2014", "999999999999999999",
      "-999999999999999999", "+10000-01-01T00:00:00Z"})
  void refuses_bad_instants(String text) {
    assertThatThrownBy(() -> TimeText.instant(text)).isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(text);
  }
}
