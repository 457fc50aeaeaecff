package dev.party.server.api;

import dev.party.Party;
import dev.party.error.ErrorCode;
import dev.party.store.ThroughputBucket;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** GET /stats/throughput: tasks that ended per minute, for the dashboard's chart. */
final class StatsRoutes {
  static final int DEFAULT_MINUTES = 60;
  /** A day of minutes is the most one answer holds. */
  static final int MAX_MINUTES = 24 * 60;
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final Party party;

  StatsRoutes(Party party) {
    this.party = party;
  }

  /**
   * {@code {"bucketSeconds": 60, "buckets": [{"start", "finished", "failed"}]}}: one bucket per
   * minute of the last {@code minutes} (default 60), oldest first, empty minutes included as zeros,
   * so a chart can plot the answer as it is.
   */
  void throughput(Context ctx) {
    int minutes = minutes(ctx.queryParam("minutes"));
    Instant now = party.clock().instant();
    Map<Instant, ThroughputBucket> counted = new HashMap<>();
    for (ThroughputBucket bucket : party.throughput(Duration.ofMinutes(minutes), MINUTE)) counted.put(bucket.start(), bucket);
    Instant current = Instant.ofEpochSecond(now.getEpochSecond() / 60 * 60);
    Instant first = current.minus(Duration.ofMinutes(minutes - 1L));
    TaskRoutes.json(ctx, TaskJson.write(64 + minutes * 64, json -> {
      json.writeStartObject();
      json.writeNumberField("bucketSeconds", MINUTE.toSeconds());
      json.writeArrayFieldStart("buckets");
      for (Instant start = first; !start.isAfter(current); start = start.plus(MINUTE)) {
        ThroughputBucket bucket = counted.getOrDefault(start, new ThroughputBucket(start, 0, 0));
        json.writeStartObject();
        json.writeStringField("start", start.toString());
        json.writeNumberField("finished", bucket.finished());
        json.writeNumberField("failed", bucket.failed());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }));
  }

  private static int minutes(String text) {
    if (text == null || text.isBlank()) return DEFAULT_MINUTES;
    try {
      int minutes = Integer.parseInt(text.strip());
      if (minutes >= 1 && minutes <= MAX_MINUTES) return minutes;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new HttpRefusal(ErrorCode.INVALID_REQUEST,
        "minutes '%s' must be a whole number from 1 to %d".formatted(text, MAX_MINUTES));
  }
}
