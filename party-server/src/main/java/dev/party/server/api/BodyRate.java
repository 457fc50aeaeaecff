package dev.party.server.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A floor on how fast a request body arrives, so a client that sends a byte now and then cannot
 * hold a place in the in-flight bound for long: from the first read, after a grace, the body must
 * have come at {@code minBytesPerSecond} on average. When it falls behind, the read fails with a
 * {@link SlowBody} (answered 408 request_timeout) at that very moment, not at the next byte.
 * Jetty's own MinimumDataRateHandler checks only when a byte arrives and has no grace.
 */
public final class BodyRate extends Handler.Wrapper {
  private final long minBytesPerSecond;
  private final long graceNanos;

  public BodyRate(long minBytesPerSecond, java.time.Duration grace) {
    this.minBytesPerSecond = minBytesPerSecond;
    this.graceNanos = grace.toNanos();
  }

  /** Why a body read failed: it came slower than the floor. */
  public static final class SlowBody extends TimeoutException {
    SlowBody(String message) {
      super(message);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (minBytesPerSecond <= 0) return super.handle(request, response, callback);
    return super.handle(new Metered(request), response, callback);
  }

  private final class Metered extends Request.Wrapper {
    private long firstDemand;
    private long bytes;
    private volatile Content.Chunk failure;

    Metered(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk failed = failure;
      if (failed != null) return failed;
      Content.Chunk chunk = super.read();
      if (chunk != null) bytes += chunk.remaining();
      return chunk;
    }

    @Override
    public void demand(Runnable onContent) {
      long now = NanoTime.now();
      if (firstDemand == 0) firstDemand = now;
      // The time by which the next bytes must come for the average to stay above the floor.
      long due = firstDemand + graceNanos + bytes * 1_000_000_000L / minBytesPerSecond;
      long left = due - now;
      if (left <= 0) {
        fail();
        onContent.run();
        return;
      }
      var once = new AtomicBoolean();
      Scheduler.Task timer = getComponents().getScheduler().schedule(() -> {
        if (once.compareAndSet(false, true)) {
          fail();
          onContent.run();
        }
      }, left, TimeUnit.NANOSECONDS);
      super.demand(() -> {
        timer.cancel();
        if (once.compareAndSet(false, true)) onContent.run();
      });
    }

    private void fail() {
      failure = Content.Chunk.from(new SlowBody(
          "the request body came slower than %d bytes a second; send it faster".formatted(minBytesPerSecond)), true);
    }
  }
}
