package dev.party.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keep-alive over a Unix socket against a stub server that answers one request per connection
 * and then closes it, or closes without answering: a POST is never sent twice. And a server that
 * never answers: the call ends at the client's timeout.
 */
class UnixSocketReuseTest {
  @TempDir Path dir;

  /** Answers {@code answered} requests on each connection, then reads one more and closes without a word. */
  private List<String> serve(Path socket, int answered) throws IOException {
    List<String> received = new CopyOnWriteArrayList<>();
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofPlatform().daemon().name("stub-server").start(() -> {
      try (server) {
        while (true) {
          try (SocketChannel channel = server.accept()) {
            InputStream in = Channels.newInputStream(channel);
            for (int i = 0; i <= answered; i++) {
              String request = readRequest(in);
              if (request == null) break;
              received.add(request);
              if (i == answered) break; // acted on it, then the connection drops unanswered
              channel.write(java.nio.ByteBuffer.wrap(
                  "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}".getBytes(ISO_8859_1)));
            }
          }
        }
      } catch (IOException closed) {
        // test over
      }
    });
    return received;
  }

  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.toString(ISO_8859_1).endsWith("\r\n\r\n")) break;
    }
    if (b < 0) return null;
    String text = head.toString(ISO_8859_1);
    int at = text.toLowerCase().indexOf("content-length:");
    int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).strip());
    in.readNBytes(length);
    return text.substring(0, text.indexOf('\r'));
  }

  @Test
  void a_post_that_met_a_dropped_connection_fails_instead_of_being_sent_again() throws Exception {
    Path socket = dir.resolve("stub.sock");
    List<String> received = serve(socket, 1);
    try (var transport = new UnixSocketTransport(socket, Duration.ofSeconds(30))) {
      assertThat(transport.exchange("POST", "/tasks", java.util.Map.of(), "{}".getBytes(ISO_8859_1), false).status())
          .isEqualTo(201);
      assertThatThrownBy(() -> transport.exchange("POST", "/tasks", java.util.Map.of(), "{}".getBytes(ISO_8859_1), false))
          .isInstanceOf(IOException.class);
    }
    assertThat(received).containsExactly("POST /tasks HTTP/1.1", "POST /tasks HTTP/1.1");
  }

  @Test
  void a_get_that_met_a_dropped_connection_is_sent_again_on_a_fresh_one() throws Exception {
    Path socket = dir.resolve("stub.sock");
    List<String> received = serve(socket, 1);
    try (var transport = new UnixSocketTransport(socket, Duration.ofSeconds(30))) {
      transport.exchange("GET", "/status", java.util.Map.of(), null, false);
      // The stub now waits for a second request on that connection and drops it unanswered, so
      // a GET is retried on a fresh connection and answered there.
      assertThat(transport.exchange("GET", "/status", java.util.Map.of(), null, false).status()).isEqualTo(201);
    }
    assertThat(received).hasSize(3);
  }

  @Test
  void a_call_the_server_never_answers_ends_at_the_timeout() throws Exception {
    Path socket = dir.resolve("silent.sock");
    try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.bind(UnixDomainSocketAddress.of(socket)); // the kernel queues the connection; nobody answers
      try (var transport = new UnixSocketTransport(socket, Duration.ofMillis(300))) {
        assertThatThrownBy(() -> transport.exchange("GET", "/status", java.util.Map.of(), null, false))
            .isInstanceOf(HttpTimeoutException.class)
            .hasMessageContaining("no answer within PT0.3S");
      }
    }
  }
}
