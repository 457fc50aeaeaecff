package dev.party.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A wrk-like load generator: one thread and a selector drive many keep-alive connections, each
 * sending the same prepared request as soon as the answer to the last one is in. It reads just the
 * status line, the headers and a Content-Length body, so on a shared machine it leaves the cores to
 * the server, as wrk does, where a thread per connection (or java.net.http) would compete for them.
 */
final class SocketLoad {
  private final SocketAddress address;
  private final byte[] request;

  /** Over TCP, to {@code server}. */
  SocketLoad(URI server, String path, byte[] body) {
    this(new InetSocketAddress(server.getHost(), server.getPort()), path, body);
  }

  /** Over a Unix domain socket. */
  SocketLoad(Path socket, String path, byte[] body) {
    this(UnixDomainSocketAddress.of(socket), path, body);
  }

  private SocketLoad(SocketAddress address, String path, byte[] body) {
    this.address = address;
    String head = "POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
        .formatted(path, body.length);
    byte[] headBytes = head.getBytes(ISO_8859_1);
    this.request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
  }

  /** One connection's state: the request going out, the answer coming in. */
  private final class Connection {
    final SocketChannel channel;
    final ByteBuffer out = ByteBuffer.wrap(request);
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    int index;
    long sentAt;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    /** The full answer's length once its head is in (head + Content-Length), else -1. */
    int answerLength() {
      byte[] bytes = in.array();
      for (int i = 3; i < in.position(); i++) {
        if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
          String head = new String(bytes, 0, i, ISO_8859_1);
          int status = Integer.parseInt(head.substring(9, 12));
          if (status != 201) throw new IllegalStateException("POST answered " + status + ": " + head);
          int at = head.toLowerCase().indexOf("content-length:");
          int end = head.indexOf('\r', at);
          return i + 1 + Integer.parseInt(head.substring(at + 15, end).strip());
        }
      }
      return -1;
    }
  }

  /** Sends {@code total} requests over {@code connections}; fills {@code latencies} (ns) when given. */
  void run(int total, int connections, long[] latencies) throws IOException {
    int sent = 0;
    int answered = 0;
    try (Selector selector = Selector.open()) {
      for (int c = 0; c < connections && sent < total; c++) {
        SocketChannel channel = SocketChannel.open(address);
        if (address instanceof InetSocketAddress) channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        Connection connection = new Connection(channel);
        send(connection, sent++);
        channel.register(selector, SelectionKey.OP_WRITE | SelectionKey.OP_READ, connection);
      }
      while (answered < total) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          Connection connection = (Connection) key.attachment();
          if (key.isWritable()) {
            connection.channel.write(connection.out);
            if (!connection.out.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
          }
          if (!key.isReadable()) continue;
          if (!connection.in.hasRemaining()) connection.in = ByteBuffer.allocate(connection.in.capacity() * 2).put(connection.in.flip());
          if (connection.channel.read(connection.in) < 0) throw new IOException("the server closed a connection");
          int length = connection.answerLength();
          if (length < 0 || connection.in.position() < length) continue;
          if (latencies != null) latencies[connection.index] = System.nanoTime() - connection.sentAt;
          answered++;
          connection.in.clear();
          if (sent < total) {
            send(connection, sent++);
            connection.channel.write(connection.out);
            key.interestOps(connection.out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
          } else {
            key.cancel();
            connection.channel.close();
          }
        }
        selector.selectedKeys().clear();
      }
    }
  }

  private static void send(Connection connection, int index) {
    connection.index = index;
    connection.out.rewind();
    connection.sentAt = System.nanoTime();
  }
}
