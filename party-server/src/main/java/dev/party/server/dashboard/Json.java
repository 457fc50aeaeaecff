package dev.party.server.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes the dashboard's few small JSON answers. */
final class Json {
  interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  private Json() {}

  static byte[] object(Fields fields) {
    var out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = dev.party.json.Json.mapper().getFactory().createGenerator(out)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
