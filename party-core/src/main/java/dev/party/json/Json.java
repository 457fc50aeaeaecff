package dev.party.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.party.error.InvalidTaskException;

/**
 * The one configured {@link ObjectMapper}: unknown fields ignored and missing ones defaulted (so
 * stored data keeps binding after a handler adds an optional field), java.time as ISO-8601, no
 * polymorphic typing, and limits on nesting and string length. Immutable once built.
 */
public final class Json {
  /** Deeper documents are refused: they are an attack, not a task. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** Longest single string in a payload. */
  public static final int MAX_STRING_LENGTH = 8 * 1024 * 1024;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .build())
                  .build())
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Serialises a value; a value that cannot be written is a programming error. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Parses task data: it must be one JSON object. Returns it in compact form. */
  public static String objectText(String text) {
    return write(parseObject(text));
  }

  public static JsonNode parseObject(String text) {
    JsonNode node = parse(text);
    if (!node.isObject()) {
      throw InvalidTaskException.invalid(
          "task data must be a JSON object, not " + node.getNodeType().name().toLowerCase());
    }
    return node;
  }

  public static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw InvalidTaskException.malformedJson("empty document");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw InvalidTaskException.malformedJson(e.getOriginalMessage());
    }
  }

  /** Binds stored JSON to a handler's type; throws {@link JsonProcessingException} when it no longer fits. */
  public static <T> T bind(String text, Class<T> type) throws JsonProcessingException {
    return MAPPER.readValue(text, type);
  }
}
