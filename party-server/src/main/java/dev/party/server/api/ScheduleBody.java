package dev.party.server.api;

import dev.party.schedule.Schedule;
import dev.party.schedule.ScheduleJson;

/** Reads {@code POST /schedules}: one schedule as {@link ScheduleJson} describes it. */
final class ScheduleBody {
  private ScheduleBody() {}

  static Schedule read(byte[] body) {
    return ScheduleJson.read(EnqueueBody.parse(body));
  }
}
