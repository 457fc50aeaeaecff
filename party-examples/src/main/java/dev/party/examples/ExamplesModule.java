package dev.party.examples;

import dev.party.task.Handlers;
import dev.party.task.TaskModule;
import dev.party.task.TaskType;
import dev.party.schedule.Backoff;
import java.nio.file.Path;
import java.time.Duration;

/** Registers the example handlers; found by {@code party server} and {@code party worker} on the classpath. */
public final class ExamplesModule implements TaskModule {

  @Override
  public void register(Handlers handlers) {
    handlers
        .task(SampleTask.NAME, SampleTask::new)
        // Short, fixed retries so the demo shows all three attempts within seconds.
        .task(TaskType.of(FlakyTask.NAME).backoff(Backoff.fixed(Duration.ofSeconds(1))), FlakyTask::new)
        .task(SlowTask.NAME, SlowTask::new)
        .handler(NoopTask.NAME, new NoopTask());
    new WordCount(Path.of(System.getenv().getOrDefault("PARTY_WORDCOUNT_ROOT", "docs"))).register(handlers);
  }
}
