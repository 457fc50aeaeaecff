package dev.party.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.Party;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import dev.party.testkit.PostgresSchema;
import dev.party.testkit.TcpProxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker cut off from PostgreSQL (every connection of its store goes through a proxy that stops
 * forwarding) stops its run no later than its lease after the last renewal, before another worker
 * takes the task over; once the network heals it claims again.
 */
class PostgresPartitionTest {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration HEARTBEAT = Duration.ofMillis(500);
  /** The documented allowance on top of the lease: the time to interrupt a run. */
  private static final Duration INTERRUPT_ALLOWANCE = Duration.ofMillis(100);

  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Map<String, Long> ended = new ConcurrentHashMap<>();
  private PostgresSchema database;
  private TcpProxy proxy;
  private Party a;
  private Party b;

  @AfterEach
  void tearDown() throws Exception {
    if (proxy != null) proxy.restore(); // a failed test must not leave A's close waiting on the network
    if (a != null) a.close();
    if (b != null) b.close();
    if (proxy != null) proxy.close();
    if (database != null) database.close();
  }

  @Test
  void a_partitioned_worker_stops_its_run_within_the_lease_and_claims_again_once_the_network_heals() throws Exception {
    database = PostgresSchema.create();
    proxy = TcpProxy.start(PostgresSchema.host(), PostgresSchema.port());
    a = Party.builder(PostgresStore.open(database.urlThrough(proxy.port()))).workerId("a").workers(1)
        .lease(LEASE, HEARTBEAT).handlers(h -> h.handler("long", this::longRun).handler("quick", context -> Outcome.done()))
        .build();
    a.start();
    TaskId id = a.enqueue(TaskRequest.of("long"));
    await().atMost(Duration.ofSeconds(10)).until(() -> started.containsKey("a"));
    // B only now, so that A has the task; B never runs "quick", so only A can.
    b = Party.builder(PostgresStore.open(database.url())).workerId("b").workers(1)
        .lease(LEASE, HEARTBEAT).handlers(h -> h.handler("long", this::longRun)).build();
    b.start();

    proxy.blackhole();
    long cutAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(15)).until(() -> ended.containsKey("a") && started.containsKey("b"));

    // A's last renewal went out before the cut: its run ended within a lease of it.
    assertThat(Duration.ofNanos(ended.get("a") - cutAt)).isLessThanOrEqualTo(LEASE.plus(INTERRUPT_ALLOWANCE));
    // ... and before B started the task: the two runs never overlapped.
    assertThat(ended.get("a")).isLessThanOrEqualTo(started.get("b"));
    await().atMost(Duration.ofSeconds(10)).until(() -> b.task(id).orElseThrow().state() == TaskState.FINISHED);

    proxy.restore();
    TaskId quick;
    try (Party client = Party.builder(PostgresStore.open(database.url())).workerId("client")
        .handlers(h -> h.handler("quick", context -> Outcome.done())).build()) {
      quick = client.enqueue(TaskRequest.of("quick"));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> b.task(quick).orElseThrow().state() == TaskState.FINISHED);
    assertThat(b.task(quick).orElseThrow().leaseOwner()).isNull();
    assertThat(b.log(quick).getLast().worker()).isEqualTo("a");
    // A's own outcome (a release) was refused once it could be written: the one attempt of each run counted once.
    TaskView task = b.task(id).orElseThrow();
    assertThat(task.attempts()).isEqualTo(2);
    assertThat(task.result()).isEqualTo("\"b\"");
  }

  /** On A: runs until cancelled or interrupted, then claims success; on B: a short run. */
  private Outcome longRun(dev.party.task.TaskContext<?> context) throws InterruptedException {
    String worker = context.workerId();
    started.put(worker, System.nanoTime());
    try {
      if (worker.equals("b")) {
        Thread.sleep(200);
      } else {
        while (!context.isCancelled()) Thread.sleep(10);
      }
      return Outcome.done(worker);
    } finally {
      ended.put(worker, System.nanoTime());
    }
  }
}
