package dev.party.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy for outage tests. {@link #cut()} closes every connection and then accepts
 * new ones without forwarding a byte (a database that does not answer, so connects time out);
 * {@link #resume()} forwards again. Threads are daemons and end when {@link #close()}d.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket listening;
  private final int target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean forwarding = true;

  TcpProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("test-proxy-accept").start(this::accept);
  }

  int port() {
    return listening.getLocalPort();
  }

  void cut() {
    forwarding = false;
    for (Socket socket : open) closeQuietly(socket);
    open.clear();
  }

  void resume() {
    forwarding = true;
  }

  private void accept() {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        open.add(client);
        if (!forwarding) continue; // held open, never answered
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(server);
        pipe(client, server);
        pipe(server, client);
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection end
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread.ofPlatform().daemon().name("test-proxy-pipe").start(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listening.close();
    cut();
  }
}
