package dev.party.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.party.error.InvalidTaskException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

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

  /**
   * How accepted JSON is read: numbers keep every digit (no double rounding, no "Infinity"), a key
   * given twice is refused rather than the last one kept, and nothing may follow the value.
   */
  private static final ObjectReader EXACT = MAPPER.reader()
      .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

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

  /**
   * Parses JSON exactly as given: every number keeps its value, and a string that is not valid
   * Unicode (a lone surrogate, as {@code "\\ud800"} can write) is refused, since it could only be
   * stored changed.
   */
  public static JsonNode parse(String text) {
    try {
      return checked(EXACT.readTree(text));
    } catch (JsonProcessingException e) {
      // Jackson's text names its own internals ("[Source: REDACTED ...]"); keep the reason and the place.
      String reason = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source:[^]]*][^)]*\\)", "");
      String where = e.getLocation() == null ? ""
          : " at line %d, column %d".formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
      throw InvalidTaskException.malformedJson(reason + where);
    } catch (NumberFormatException e) {
      // An exponent past what BigDecimal holds (1e99999999999): refused, not rounded to infinity.
      String reason = e.getMessage() == null ? "" : e.getMessage().replaceAll("^.*reason:\\s*", "");
      throw InvalidTaskException.malformedJson("a number is out of range: " + reason);
    }
  }

  /**
   * Parses JSON bytes, which must be well-formed UTF-8: Jackson's own decoder reads an overlong
   * form such as {@code C0 AF} as "/", and an encoded surrogate as a character no store keeps.
   */
  public static JsonNode parse(byte[] utf8) {
    return parse(utf8(utf8));
  }

  /** Decodes strict UTF-8; anything else is malformed_json naming the byte. */
  public static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      int at = firstBadByte(bytes);
      throw InvalidTaskException.malformedJson(
          "the body is not valid UTF-8 (byte 0x%02X at offset %d)".formatted(bytes[at] & 0xFF, at));
    }
  }

  private static int firstBadByte(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    var in = ByteBuffer.wrap(bytes);
    var out = java.nio.CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    return Math.min(in.position(), bytes.length - 1);
  }

  private static JsonNode checked(JsonNode node) {
    if (node == null || node.isMissingNode()) throw InvalidTaskException.malformedJson("empty document");
    requireUnicode(node);
    return node;
  }

  /** Refuses unpaired surrogates in any string or key: written as UTF-8 they turn into "?". */
  private static void requireUnicode(JsonNode node) {
    if (node.isTextual()) {
      requireUnicode(node.textValue());
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        requireUnicode(field.getKey());
        requireUnicode(field.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) requireUnicode(element);
    }
  }

  private static void requireUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw InvalidTaskException.malformedJson(("\"\\u%04x\" is half of a UTF-16 surrogate pair with no other half;"
            + " JSON text must be valid Unicode").formatted((int) c));
      }
    }
  }

  /** Binds stored JSON to a handler's type; throws {@link JsonProcessingException} when it no longer fits. */
  public static <T> T bind(String text, Class<T> type) throws JsonProcessingException {
    return MAPPER.readValue(text, type);
  }
}
