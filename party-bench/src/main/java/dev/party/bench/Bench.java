package dev.party.bench;

import dev.party.Party;
import dev.party.event.PartyListener;
import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.TaskStore;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Throughput and latency of one store, printed as a Markdown table.
 *
 * <pre>
 * ./bench [--tasks 100000] [--batch 1000] [--workers 8] [--latency 1000] [--durability FULL|NORMAL]
 * </pre>
 */
public final class Bench {
  private final BenchOptions options;
  private final List<String[]> rows = new ArrayList<>();
  private double claimsPerStep;
  private String workerPeakMemory;

  private Bench(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    new Bench(BenchOptions.parse(args)).run();
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("party-bench-");
    try {
      throughput(dir.resolve("throughput.db"));
      latency(dir.resolve("latency.db"));
      workerProcess(dir.resolve("worker.db"), dir.resolve("worker.log"));
    } finally {
      deleteTree(dir);
    }
    print();
  }

  private TaskStore open(Path file) {
    return SqliteStore.open(file, options.durability(), InstantSource.system());
  }

  /** Batch enqueue of N no-op tasks, then N processed end to end by the workers. */
  private void throughput(Path file) throws Exception {
    int total = options.tasks();
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger claims = new AtomicInteger();
    PartyListener counter = new PartyListener() {
      @Override
      public void claimed(String owner, int count) {
        claims.incrementAndGet();
      }

      @Override
      public void completed(ClaimedTask task, Completion completion) {
        done.countDown();
      }
    };
    try (TaskStore store = open(file);
        Party party = Party.builder(store).workers(options.workers()).listener(counter)
            .handlers(h -> h.handler("noop", context -> Outcome.done())).build()) {
      long start = System.nanoTime();
      for (int sent = 0; sent < total; sent += options.batch()) {
        List<TaskRequest> batch = new ArrayList<>(options.batch());
        for (int i = sent; i < Math.min(total, sent + options.batch()); i++) batch.add(TaskRequest.of("noop"));
        party.enqueueAll(batch);
      }
      long enqueued = System.nanoTime();
      addThroughput("batch enqueue (%,d per call)".formatted(options.batch()), total, enqueued - start);

      long processingStart = System.nanoTime();
      party.start();
      if (!done.await(30, TimeUnit.MINUTES)) throw new IllegalStateException("processing did not finish");
      addThroughput("end to end, %d workers (claim, run, finish)".formatted(options.workers()), total,
          System.nanoTime() - processingStart);
      claimsPerStep = (double) total / claims.get();
    }
  }

  /** One task at a time into an idle worker: from the enqueue call to the handler's start. */
  private void latency(Path file) throws Exception {
    int samples = options.latencySamples();
    long[] startedAt = new long[samples];
    AtomicInteger next = new AtomicInteger();
    try (TaskStore store = open(file);
        Party party = Party.builder(store).workers(options.workers())
            .handlers(h -> h.handler("probe", context -> {
              startedAt[context.data().path("i").asInt()] = System.nanoTime();
              next.incrementAndGet();
              return Outcome.done();
            })).build()) {
      party.start();
      long[] latencies = new long[samples];
      for (int i = 0; i < samples; i++) {
        long before = System.nanoTime();
        party.enqueue(TaskRequest.of("probe", Map.of("i", i)));
        while (next.get() <= i) Thread.onSpinWait();
        latencies[i] = startedAt[i] - before;
        // Let the completion be written, so every sample starts from an idle engine.
        Thread.sleep(2);
      }
      Arrays.sort(latencies);
      rows.add(new String[] {"pickup latency, idle worker (enqueue call → handler start)",
          "%,d".formatted(samples), "p50 %.2f ms".formatted(percentile(latencies, 50)),
          "p99 %.2f ms".formatted(percentile(latencies, 99))});
    }
  }

  /** The real `./party worker --drain`, started as users start it, over a filled file. */
  private void workerProcess(Path file, Path log) throws Exception {
    int total = options.tasks();
    try (TaskStore store = open(file);
        Party party = Party.builder(store).handlers(h -> h.handler("NoopTask", context -> Outcome.done())).build()) {
      for (int sent = 0; sent < total; sent += options.batch()) {
        List<TaskRequest> batch = new ArrayList<>(options.batch());
        for (int i = sent; i < Math.min(total, sent + options.batch()); i++) batch.add(TaskRequest.of("NoopTask"));
        party.enqueueAll(batch);
      }
    }
    String home = System.getProperty("party.home");
    if (home == null) throw new IllegalStateException("run the bench with ./bench (it sets -Dparty.home)");
    Process worker = new ProcessBuilder(Path.of(home, "party").toString(), "worker", "--drain",
            "--name", "bench-1", "--workers", String.valueOf(options.workers()), "--db", file.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
    if (!worker.waitFor(30, TimeUnit.MINUTES) || worker.exitValue() != 0) {
      throw new IllegalStateException("party worker failed: " + Files.readString(log));
    }
    Matcher report = Pattern.compile("stopped after (\\d+) ms, peak resident memory (\\S+ MB)")
        .matcher(Files.readString(log));
    if (!report.find()) throw new IllegalStateException("no report from party worker: " + Files.readString(log));
    addThroughput("`party worker --drain` process, %d workers".formatted(options.workers()), total,
        Long.parseLong(report.group(1)) * 1_000_000);
    workerPeakMemory = report.group(2);
  }

  private static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1_000_000.0;
  }

  private void addThroughput(String scenario, int tasks, long nanos) {
    double seconds = nanos / 1e9;
    rows.add(new String[] {scenario, "%,d".formatted(tasks), "%.2f s".formatted(seconds),
        "%,.0f tasks/s".formatted(tasks / seconds)});
  }

  private void print() throws IOException {
    System.out.printf("Party bench: SQLite store (synchronous=%s), %d cores, Java %s, %s%n%n",
        options.durability(), Runtime.getRuntime().availableProcessors(),
        Runtime.version(), System.getProperty("os.name"));
    System.out.println("| scenario | tasks | time / p50 | rate / p99 |");
    System.out.println("|---|---:|---:|---:|");
    for (String[] row : rows) System.out.println("| " + String.join(" | ", row) + " |");
    System.out.printf("%nend to end: %.1f tasks per claim on average%n", claimsPerStep);
    System.out.printf("peak resident memory (VmHWM) of the `party worker` process: %s%n", workerPeakMemory);
    System.out.printf("peak resident memory (VmHWM) of this bench process: %s%n", peakMemory());
  }

  private static String peakMemory() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MB")
        .findFirst().orElse("unknown");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    }
  }

}
