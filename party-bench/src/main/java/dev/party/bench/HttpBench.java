package dev.party.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.party.Party;
import dev.party.client.PartyClient;
import dev.party.server.PartyServer;
import dev.party.server.ServerConfig;
import dev.party.store.TaskStore;
import dev.party.task.Outcome;
import dev.party.task.TaskQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The HTTP API's enqueue path: single-task POSTs from many keep-alive clients, then batched POSTs.
 * Server and clients share this JVM and its cores, so the figures include the client's own cost.
 * The engine is not started: what is measured is accept, parse, store (durably) and answer.
 */
final class HttpBench {
  private static final int WARM_UP = 20_000;

  private final BenchOptions options;
  private final List<String[]> rows;
  private final List<String> notes;

  HttpBench(BenchOptions options, List<String[]> rows, List<String> notes) {
    this.options = options;
    this.rows = rows;
    this.notes = notes;
  }

  void run(BenchStore stores) throws Exception {
    try (TaskStore store = stores.open("http");
        Party party = Party.builder(store).workerId("bench-http")
            .handlers(h -> h.handler("NoopTask", context -> Outcome.done())).build();
        PartyServer server = PartyServer.start(ServerConfig.defaults().port(0).unixSocket(socket()), party, null);
        PartyClient client = PartyClient.tcp(server.uri()).build()) {
      byte[] single = "{\"tasks\": [{\"party\": \"NoopTask\", \"data\": {\"n\": 1}}]}".getBytes(UTF_8);
      var sockets = new SocketLoad(server.uri(), "/tasks", single);
      sockets.run(WARM_UP, options.clients(), null); // JIT and connections, not measured
      posts(client, single, WARM_UP, options.clients());
      singles("single-task POST /tasks, %d keep-alive connections (wrk-like, one NIO thread)".formatted(options.clients()),
          latencies -> sockets.run(options.requests(), options.clients(), latencies));
      var unix = new SocketLoad(server.unixSocket(), "/tasks", single);
      unix.run(WARM_UP, options.clients(), null);
      singles("the same over the Unix socket",
          latencies -> unix.run(options.requests(), options.clients(), latencies));
      singles("single-task POST /tasks, %d threads on one PartyClient (java.net.http)".formatted(options.clients()),
          latencies -> posts(client, single, options.requests(), options.clients(), latencies));

      int batch = options.batch();
      byte[] batched = IntStream.range(0, batch).mapToObj(i -> "{\"party\": \"NoopTask\", \"data\": {\"n\": " + i + "}}")
          .collect(Collectors.joining(",", "{\"tasks\": [", "]}")).getBytes(UTF_8);
      int posts = Math.max(1, options.tasks() / batch);
      int batchClients = Math.min(4, options.clients());
      long start = System.nanoTime();
      posts(client, batched, posts, batchClients);
      long nanos = System.nanoTime() - start;
      rows.add(new String[] {"batched POST /tasks, %,d tasks each, %d clients".formatted(batch, batchClients),
          "%,d".formatted(posts * batch), "%.2f s".formatted(nanos / 1e9),
          "%,.0f tasks/s".formatted(posts * (double) batch / (nanos / 1e9))});
      notes.add("a batched body of %,d tasks is %,d bytes".formatted(batch, batched.length));
      long stored = party.status().states().values().stream().mapToLong(Long::longValue).sum();
      notes.add("tasks stored at the end: %,d (warm-up 3 × %,d, single 3 × %,d, batched %,d)"
          .formatted(stored, WARM_UP, options.requests(), posts * batch));
      if (party.tasks(TaskQuery.all().limit(1)).isEmpty()) throw new IllegalStateException("nothing was stored");
    }
  }

  private static Path socket() throws IOException {
    Path dir = Files.createTempDirectory("party-bench");
    dir.toFile().deleteOnExit();
    return dir.resolve("party.sock");
  }

  interface Load {
    void run(long[] latencies) throws Exception;
  }

  private void singles(String scenario, Load load) throws Exception {
    long[] latencies = new long[options.requests()];
    long start = System.nanoTime();
    load.run(latencies);
    long nanos = System.nanoTime() - start;
    Arrays.sort(latencies);
    rows.add(new String[] {scenario, "%,d".formatted(options.requests()),
        "p50 %.2f ms, p99 %.2f ms".formatted(Bench.percentile(latencies, 50), Bench.percentile(latencies, 99)),
        "%,.0f requests/s".formatted(options.requests() / (nanos / 1e9))});
  }

  private static void posts(PartyClient client, byte[] body, int total, int clients) throws Exception {
    posts(client, body, total, clients, null);
  }

  /** {@code total} POSTs shared by {@code clients} threads; any answer but 201 stops the run. */
  private static void posts(PartyClient client, byte[] body, int total, int clients, long[] latencies)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        futures.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            long before = System.nanoTime();
            var response = client.exchange("POST", "/tasks", body);
            if (latencies != null) latencies[i] = System.nanoTime() - before;
            if (response.status() != 201) throw new IllegalStateException("POST answered " + response.status() + ": " + response.text());
          }
          return null;
        }));
      }
      for (Future<?> future : futures) future.get();
    } finally {
      pool.shutdownNow();
    }
  }

}
