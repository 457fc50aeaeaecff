package dev.party.bench;

import dev.party.Party;
import dev.party.event.PartyListener;
import dev.party.store.ClaimedTask;
import dev.party.store.Completion;
import dev.party.store.TaskStore;
import dev.party.task.Outcome;
import dev.party.task.TaskRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput, latency, size and memory of one store, printed as Markdown.
 *
 * <pre>
 * ./bench [--store sqlite|postgres] [--db JDBC_URL] [--tasks 100000] [--batch 1000] [--workers 8]
 *         [--latency 1000] [--backlog 0] [--durability FULL|NORMAL]
 *         [--http [--clients 16] [--requests 20000]]
 * </pre>
 */
public final class Bench {
  /** Tasks processed in each backlog row. */
  static final int BACKLOG_SAMPLE = 20_000;
  private static final Pattern WORKER_REPORT = Pattern.compile("peak resident memory (\\S+ MB)");
  private static final Pattern DRAIN_TIME = Pattern.compile("stopped after (\\d+) ms");

  private final BenchOptions options;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private Bench(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    new Bench(BenchOptions.parse(args)).run();
  }

  private void run() throws Exception {
    String description;
    try (BenchStore store = options.openStore()) {
      description = store.description();
      if (options.http()) {
        new HttpBench(options, rows, notes).run(store);
        print(description + ", HTTP API on loopback TCP");
        return;
      }
      throughput(store);
      latency(store);
      workerProcess(store);
      if (options.backlog() > 0) backlog(store);
    }
    print(description);
  }

  /** Batch enqueue of N no-op tasks, then N processed end to end by the workers. */
  private void throughput(BenchStore stores) throws Exception {
    int total = options.tasks();
    CountDownLatch done = new CountDownLatch(total);
    AtomicInteger claims = new AtomicInteger();
    try (TaskStore store = stores.open("throughput");
        Party party = Party.builder(store).workerId("bench-throughput").workers(options.workers())
            .listener(counting(done, claims)).handlers(h -> h.handler("noop", context -> Outcome.done())).build()) {
      long start = System.nanoTime();
      fill(party, "noop", total);
      addThroughput("batch enqueue (%,d per call)".formatted(options.batch()), total, System.nanoTime() - start);

      long processing = System.nanoTime();
      party.start();
      if (!done.await(30, TimeUnit.MINUTES)) throw new IllegalStateException("processing did not finish");
      addThroughput("end to end, %d workers (claim, run, finish)".formatted(options.workers()), total,
          System.nanoTime() - processing);
      notes.add("end to end: %.1f tasks per claim on average".formatted((double) total / claims.get()));
    }
  }

  private void fill(Party party, String handler, int total) {
    for (int sent = 0; sent < total; sent += options.batch()) {
      List<TaskRequest> batch = new ArrayList<>(options.batch());
      for (int i = sent; i < Math.min(total, sent + options.batch()); i++) batch.add(TaskRequest.of(handler));
      party.enqueueAll(batch);
    }
  }

  private static PartyListener counting(CountDownLatch done, AtomicInteger claims) {
    return new PartyListener() {
      @Override
      public void claimed(String owner, int count) {
        claims.incrementAndGet();
      }

      @Override
      public void completed(ClaimedTask task, Completion completion) {
        done.countDown();
      }
    };
  }

  /** One task at a time into an idle worker: from the enqueue call to the handler's start. */
  private void latency(BenchStore stores) throws Exception {
    int samples = options.latencySamples();
    long[] startedAt = new long[samples];
    AtomicInteger next = new AtomicInteger();
    try (TaskStore store = stores.open("latency");
        Party party = Party.builder(store).workerId("bench-latency").workers(options.workers())
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

  /** The real `./party worker --drain`, started as users start it, over a filled store. */
  private void workerProcess(BenchStore stores) throws Exception {
    int total = options.tasks();
    try (TaskStore store = stores.open("worker");
        Party party = Party.builder(store).handlers(h -> h.handler("NoopTask", context -> Outcome.done())).build()) {
      fill(party, "NoopTask", total);
    }
    String log = runWorker(stores.dbArgument("worker"), true, 30 * 60);
    Matcher time = DRAIN_TIME.matcher(log);
    if (!time.find()) throw new IllegalStateException("no report from party worker: " + log);
    addThroughput("`party worker --drain` process, %d workers".formatted(options.workers()), total,
        Long.parseLong(time.group(1)) * 1_000_000);
    notes.add("peak resident memory (VmHWM) of the `party worker --drain` process: " + peak(log));
  }

  /**
   * End to end with a small and a large backlog waiting, {@value #BACKLOG_SAMPLE} tasks each; the
   * size of a bare stored task; and a worker process's memory over the large backlog.
   */
  private void backlog(BenchStore stores) throws Exception {
    for (int waiting : new int[] {BACKLOG_SAMPLE, options.backlog()}) {
      String scenario = "backlog_" + waiting;
      CountDownLatch done = new CountDownLatch(BACKLOG_SAMPLE);
      try (TaskStore store = stores.open(scenario);
          Party party = Party.builder(store).workerId("bench-backlog").workers(options.workers())
              .listener(counting(done, new AtomicInteger()))
              .handlers(h -> h.handler("NoopTask", context -> Outcome.done())).build()) {
        fill(party, "NoopTask", waiting);
        if (waiting == options.backlog()) {
          long bytes = stores.storedBytes(scenario);
          notes.add("stored size of %,d waiting bare tasks, table and indexes: %,d bytes, %d bytes per task"
              .formatted(waiting, bytes, bytes / waiting));
        }
        long start = System.nanoTime();
        party.start();
        if (!done.await(30, TimeUnit.MINUTES)) throw new IllegalStateException("backlog run did not finish");
        addThroughput("end to end, %,d waiting (first %,d of them)".formatted(waiting, BACKLOG_SAMPLE),
            BACKLOG_SAMPLE, System.nanoTime() - start);
      }
    }
    String log = runWorker(stores.dbArgument("backlog_" + options.backlog()), false, 30);
    notes.add("peak resident memory of a `party worker` process running 30 s over %,d waiting tasks: %s"
        .formatted(options.backlog() - BACKLOG_SAMPLE, peak(log)));
  }

  /** Runs `./party worker` (draining, or stopped with SIGTERM after {@code seconds}); returns its log. */
  private String runWorker(String db, boolean drain, int seconds) throws Exception {
    String home = System.getProperty("party.home");
    if (home == null) throw new IllegalStateException("run the bench with ./bench (it sets -Dparty.home)");
    Path log = Files.createTempFile("party-bench-worker", ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(home, "party").toString(), "worker",
        "--name", "bench-worker", "--workers", String.valueOf(options.workers()), "--db", db));
    if (drain) command.add("--drain");
    Process worker = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
    if (!drain && !worker.waitFor(seconds, TimeUnit.SECONDS)) worker.destroy();
    if (!worker.waitFor(30, TimeUnit.MINUTES)) throw new IllegalStateException("party worker did not stop");
    String text = Files.readString(log);
    Files.delete(log);
    return text;
  }

  private static String peak(String log) {
    Matcher matcher = WORKER_REPORT.matcher(log);
    if (!matcher.find()) throw new IllegalStateException("no memory report from party worker: " + log);
    return matcher.group(1);
  }

  static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1_000_000.0;
  }

  private void addThroughput(String scenario, int tasks, long nanos) {
    double seconds = nanos / 1e9;
    rows.add(new String[] {scenario, "%,d".formatted(tasks), "%.2f s".formatted(seconds),
        "%,.0f tasks/s".formatted(tasks / seconds)});
  }

  private void print(String store) throws IOException {
    System.out.printf("Party bench: %s, %d cores, Java %s, %s%n%n", store,
        Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("os.name"));
    System.out.println("| scenario | tasks | time / p50 | rate / p99 |");
    System.out.println("|---|---:|---:|---:|");
    for (String[] row : rows) System.out.println("| " + String.join(" | ", row) + " |");
    System.out.println();
    for (String note : notes) System.out.println("- " + note);
    System.out.println("- peak resident memory (VmHWM) of this bench process: " + peakMemory());
  }

  private static String peakMemory() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MB")
        .findFirst().orElse("unknown");
  }
}
