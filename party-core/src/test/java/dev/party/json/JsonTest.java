package dev.party.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.error.ErrorCode;
import dev.party.error.InvalidTaskException;
import dev.party.task.TaskRequest;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Java API and the CLI accept as task data is stored exactly, or refused. */
class JsonTest {

  @Test
  void data_that_would_be_stored_changed_is_refused_with_malformed_json() {
    assertMalformed(() -> TaskRequest.of("Mail", Map.of("s", "a\ud800")));
    assertMalformed(() -> TaskRequest.of("Mail", "{\"s\": \"\\udc00\"}"));
    assertMalformed(() -> TaskRequest.of("Mail", "{\"a\": 1, \"a\": 2}"));
    assertMalformed(() -> TaskRequest.of("Mail", "{\"a\": 1} trailing"));
    assertMalformed(() -> TaskRequest.of("Mail", "{\"n\": 1e99999999999}"));
    assertMalformed(() -> Json.parse(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}));
    assertMalformed(() -> Json.parse(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}));
  }

  @Test
  void numbers_pairs_and_multibyte_text_are_kept_exactly() {
    String data = "{\"huge\":1E+999999,\"precise\":0.10000000000000000000000000001,\"one\":1.0,"
        + "\"big\":123456789012345678901234567890,\"text\":\"caf\u00e9 \ud83d\ude00\"}";
    assertThat(TaskRequest.of("Mail", data).data()).isEqualTo(data);
    assertThat(Json.parse(data.getBytes(UTF_8)).get("huge").decimalValue()).isEqualTo(new BigDecimal("1E+999999"));
    assertThat(TaskRequest.of("Mail", Map.of("s", "\ud83d\ude00")).data()).isEqualTo("{\"s\":\"\ud83d\ude00\"}");
  }

  private static void assertMalformed(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(InvalidTaskException.class)
        .extracting(e -> ((InvalidTaskException) e).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
  }
}
