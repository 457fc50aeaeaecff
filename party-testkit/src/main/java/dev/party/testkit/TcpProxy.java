package dev.party.testkit;

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
 * A loopback TCP proxy that a test can cut off: {@link #blackhole()} stops forwarding bytes (and
 * connecting to the target) without closing anything, as a network partition looks to both ends;
 * {@link #restore()} forwards again, delivering what waited, as TCP does once the network heals.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private boolean forwarding = true;
  private volatile boolean closed;

  private TcpProxy(ServerSocket server, String targetHost, int targetPort) {
    this.server = server;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** Listens on 127.0.0.1 on a free port and forwards to {@code targetHost:targetPort}. */
  public static TcpProxy start(String targetHost, int targetPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    TcpProxy proxy = new TcpProxy(server, targetHost, targetPort);
    Thread.ofPlatform().daemon(true).name("tcp-proxy-accept").start(proxy::accept);
    return proxy;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Stops forwarding: bytes sent either way wait here, new connections get no answer. */
  public void blackhole() {
    synchronized (gate) {
      forwarding = false;
    }
  }

  /** Forwards again, what waited first. */
  public void restore() {
    synchronized (gate) {
      forwarding = true;
      gate.notifyAll();
    }
  }

  private void awaitForwarding() throws InterruptedException {
    synchronized (gate) {
      while (!forwarding && !closed) gate.wait();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread.ofPlatform().daemon(true).name("tcp-proxy-connect").start(() -> connect(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void connect(Socket client) {
    try {
      awaitForwarding();
      Socket target = new Socket(targetHost, targetPort);
      sockets.add(target);
      Thread.ofPlatform().daemon(true).name("tcp-proxy-up").start(() -> pump(client, target));
      Thread.ofPlatform().daemon(true).name("tcp-proxy-down").start(() -> pump(target, client));
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int read; (read = in.read(buffer)) >= 0; ) {
        awaitForwarding();
        out.write(buffer, 0, read);
        out.flush();
      }
      awaitForwarding();
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  @Override
  public void close() {
    closed = true;
    restore();
    closeQuietly(server);
    sockets.forEach(TcpProxy::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // going away
    }
  }
}
