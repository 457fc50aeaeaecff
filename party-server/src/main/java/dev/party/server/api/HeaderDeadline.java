package dev.party.server.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request line and headers take longer than the deadline to arrive.
 * Jetty's idle timeout restarts at every byte, so a client sending a header byte every few seconds
 * would otherwise keep its connection forever. A sweep a few times per deadline looks at each
 * connection's parser: one seen in the middle of the same request head for longer than the
 * deadline is closed.
 */
public final class HeaderDeadline extends AbstractLifeCycle {
  private static final String STARTED = "party.headStarted";

  private final Server server;
  private final long deadlineNanos;
  private final long sweepMillis;
  private volatile Scheduler.Task task;

  public HeaderDeadline(Server server, Duration deadline) {
    this.server = server;
    this.deadlineNanos = deadline.toNanos();
    this.sweepMillis = Math.max(50, Math.min(1000, deadline.toMillis() / 4));
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task running = task;
    if (running != null) running.cancel();
  }

  private void schedule() {
    if (isRunning()) task = server.getScheduler().schedule(this::sweep, sweepMillis, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    try {
      long now = NanoTime.now();
      for (Connector connector : server.getConnectors()) {
        if (!(connector instanceof AbstractConnector open)) continue;
        for (EndPoint endPoint : open.getConnectedEndPoints()) {
          if (endPoint.getConnection() instanceof HttpConnection http) check(endPoint, http, now);
        }
      }
    } finally {
      schedule();
    }
  }

  private void check(EndPoint endPoint, HttpConnection http, long now) {
    if (!inHead(http.getParser().getState())) {
      http.removeAttribute(STARTED);
      return;
    }
    // Keyed by the request count, so the next request on a kept-alive connection starts afresh.
    long request = http.getMessagesIn();
    if (!(http.getAttribute(STARTED) instanceof long[] seen) || seen[0] != request) {
      http.setAttribute(STARTED, new long[] {request, now});
    } else if (now - seen[1] > deadlineNanos) {
      endPoint.close(new java.util.concurrent.TimeoutException("request headers took longer than the deadline"));
    }
  }

  /** Between the first byte of a request and the end of its headers. */
  private static boolean inHead(HttpParser.State state) {
    return state.ordinal() > HttpParser.State.START.ordinal() && state.ordinal() <= HttpParser.State.HEADER.ordinal();
  }
}
