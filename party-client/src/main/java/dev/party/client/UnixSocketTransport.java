package dev.party.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP/1.1 over a Unix domain socket. java.net.http speaks only TCP, so this writes requests and
 * reads responses itself: a request line, headers and a Content-Length body out; a status line,
 * headers and a Content-Length or chunked body back. Idle connections are kept for reuse. A
 * blocking channel has no read timeout, so a watchdog closes the connection of a call past its
 * deadline.
 */
final class UnixSocketTransport implements Transport {
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  /** Bodies larger than this wait for the server's 100 Continue, as java.net.http's do over TCP. */
  private static final int EXPECT_CONTINUE_BYTES = 64 * 1024;

  private final UnixDomainSocketAddress address;
  private final Duration timeout;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final ScheduledThreadPoolExecutor watchdog;
  private volatile boolean closed;

  UnixSocketTransport(Path socket, Duration timeout) {
    this.address = UnixDomainSocketAddress.of(socket);
    this.timeout = timeout;
    this.watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "party-client-unix-watchdog");
      thread.setDaemon(true); // never keeps a JVM alive whose owner forgot close()
      return thread;
    });
    watchdog.setRemoveOnCancelPolicy(true);
  }

  private record Connection(SocketChannel channel, InputStream in, OutputStream out) {
    static Connection open(UnixDomainSocketAddress address) throws IOException {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(address);
      return new Connection(channel, new BufferedInputStream(Channels.newInputStream(channel)),
          new BufferedOutputStream(Channels.newOutputStream(channel)));
    }

    /** True when the server closed this idle connection (or sent something unasked). */
    boolean closedByServer() {
      try {
        channel.configureBlocking(false);
        try {
          return channel.read(ByteBuffer.allocate(1)) != 0;
        } finally {
          channel.configureBlocking(true);
        }
      } catch (IOException e) {
        return true;
      }
    }

    void closeQuietly() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already broken; nothing to free
      }
    }
  }

  @Override
  public Response exchange(String method, String path, Map<String, String> headers, byte[] body, boolean waitLonger)
      throws IOException {
    if (closed) throw new IOException("client is closed");
    for (Connection reused; (reused = idle.pollFirst()) != null; ) {
      if (reused.closedByServer()) {
        reused.closeQuietly();
        continue;
      }
      try {
        return exchangeOn(reused, method, path, headers, body, waitLonger);
      } catch (HttpTimeoutException e) {
        throw e;
      } catch (IOException e) {
        // A read may be sent again on a fresh connection; a write may not: the server may have
        // acted on it before the connection broke, and a second POST would store a second task.
        if (!method.equals("GET") && !method.equals("HEAD")) throw e;
      }
    }
    return exchangeOn(Connection.open(address), method, path, headers, body, waitLonger);
  }

  private Response exchangeOn(Connection connection, String method, String path,
      Map<String, String> headers, byte[] body, boolean waitLonger) throws IOException {
    var timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline = waitLonger ? null : watchdog.schedule(() -> {
      timedOut.set(true);
      connection.closeQuietly();
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      Response response = send(connection, method, path, headers, body);
      boolean keep = !"close".equalsIgnoreCase(response.headers().get("connection"));
      if (deadline != null) deadline.cancel(false);
      if (keep && !closed && !timedOut.get()) idle.addFirst(connection);
      else connection.closeQuietly();
      return response;
    } catch (IOException | RuntimeException e) {
      connection.closeQuietly();
      if (timedOut.get()) throw new HttpTimeoutException("no answer within " + timeout);
      throw e;
    } finally {
      if (deadline != null) deadline.cancel(false);
    }
  }

  /**
   * Writes the request and reads its answer. A large body first asks whether it is wanted
   * ({@code Expect: 100-continue}), as the TCP transport does: a server that refuses it (too
   * large, say) answers at once, and the body is never sent.
   */
  private static Response send(Connection connection, String method, String path,
      Map<String, String> headers, byte[] body) throws IOException {
    boolean ask = body != null && body.length > EXPECT_CONTINUE_BYTES;
    writeHead(connection.out(), method, path, headers, body, ask);
    if (ask) {
      Head head = readHead(connection.in());
      if (head.status() != 100) { // refused before the body: the connection cannot carry another request
        head.headers().put("connection", "close");
        return withBody(connection.in(), method, head);
      }
    }
    try {
      if (body != null) connection.out().write(body);
      connection.out().flush();
    } catch (IOException writeFailed) {
      // The server may have answered and closed before reading the whole body; its answer is
      // still there to read, and says more than a broken pipe.
      try {
        Response early = readResponse(connection.in(), method);
        early.headers().put("connection", "close");
        return early;
      } catch (IOException noAnswer) {
        writeFailed.addSuppressed(noAnswer);
        throw writeFailed;
      }
    }
    return readResponse(connection.in(), method);
  }

  private static void writeHead(OutputStream out, String method, String path,
      Map<String, String> headers, byte[] body, boolean expectContinue) throws IOException {
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: localhost\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (expectContinue) head.append("Expect: 100-continue\r\n");
    head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (expectContinue) out.flush();
  }

  private record Head(int status, Map<String, String> headers) {}

  /** Reads one response; {@code method} matters because the answer to HEAD has headers only. */
  static Response readResponse(InputStream in, String method) throws IOException {
    Head head = readHead(in);
    while (head.status() / 100 == 1) head = readHead(in); // interim answers: the final one follows
    return withBody(in, method, head);
  }

  private static Head readHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP response: " + statusLine);
    }
    Map<String, String> headers = new HashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return new Head(Integer.parseInt(parts[1]), headers);
  }

  private static Response withBody(InputStream in, String method, Head head) throws IOException {
    int status = head.status();
    Map<String, String> headers = head.headers();
    byte[] body;
    if (method.equals("HEAD") || status == 204 || status == 304) body = new byte[0];
    else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = readChunked(in);
    else if (headers.containsKey("content-length")) body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    else {
      body = in.readAllBytes();
      headers.put("connection", "close");
    }
    return new Response(status, headers, body);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers: none that matter here
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) throw new IOException("connection closed mid-response");
      if (b == '\n') break;
      if (b != '\r') line.write(b);
      if (line.size() > MAX_HEADER_BYTES) throw new IOException("response header line too long");
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    closed = true;
    watchdog.shutdownNow();
    for (Connection connection; (connection = idle.pollFirst()) != null; ) connection.closeQuietly();
  }
}
