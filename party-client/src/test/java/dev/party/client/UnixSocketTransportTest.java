package dev.party.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The response reader of the Unix socket transport, on answers as Jetty and others write them. */
class UnixSocketTransportTest {

  private static Transport.Response read(String raw) throws IOException {
    return read(raw, "GET");
  }

  private static Transport.Response read(String raw, String method) throws IOException {
    return UnixSocketTransport.readResponse(new ByteArrayInputStream(raw.getBytes(ISO_8859_1)), method);
  }

  @Test
  void the_answer_to_head_has_no_body_whatever_its_length_says() throws IOException {
    var input = new ByteArrayInputStream(("HTTP/1.1 200 OK\r\nContent-Length: 120\r\n\r\n"
        + "HTTP/1.1 204 No Content\r\n\r\n").getBytes(ISO_8859_1));
    var head = UnixSocketTransport.readResponse(input, "HEAD");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(UnixSocketTransport.readResponse(input, "GET").status()).as("the next answer on the connection").isEqualTo(204);
  }

  @Test
  void interim_answers_are_skipped() throws IOException {
    var response = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(response.status()).isEqualTo(201);
    assertThat(new String(response.body(), ISO_8859_1)).isEqualTo("{}");
  }

  @Test
  void reads_a_content_length_body_and_lower_cases_header_names() throws IOException {
    var response = read("HTTP/1.1 201 Created\r\nLocation: /tasks/1\r\nContent-Length: 2\r\n\r\n{}next");
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.headers()).containsEntry("location", "/tasks/1");
    assertThat(new String(response.body(), ISO_8859_1)).isEqualTo("{}");
  }

  @Test
  void reads_a_chunked_body_with_extensions_and_trailers() throws IOException {
    var response = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-Trailer: y\r\n\r\n");
    assertThat(new String(response.body(), ISO_8859_1)).isEqualTo("{\"a\":1}");
  }

  @Test
  void a_body_without_a_length_runs_to_the_end_and_closes_the_connection() throws IOException {
    var response = read("HTTP/1.0 200 OK\r\n\r\nall of it");
    assertThat(new String(response.body(), ISO_8859_1)).isEqualTo("all of it");
    assertThat(response.headers()).containsEntry("connection", "close");
  }

  @Test
  void a_cut_or_foreign_answer_is_an_io_error() {
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Le")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n")).isInstanceOf(IOException.class)
        .hasMessageContaining("not an HTTP response");
  }
}
