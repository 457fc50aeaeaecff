package dev.party.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.Party;
import dev.party.client.PartyClient;
import dev.party.client.PartyClientException;
import dev.party.client.TaskInput;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sustained overload on a real server and SQLite: many clients post more tasks than the budget
 * admits. Admitted requests answer within the bound, the others get 503 busy with Retry-After and
 * store nothing, and a refused request sent again with its idempotency key stores once.
 */
class OverloadTest {
  private static final int CLIENTS = 32;
  private static final int POSTS_EACH = 3;
  private static final int TASKS_PER_POST = 500;
  private static final Duration ENQUEUE_TIMEOUT = Duration.ofMillis(200);
  /** enqueueTimeout, one write of at most the budget, and slack for 32 client threads on a CI machine. */
  private static final Duration BOUND = ENQUEUE_TIMEOUT.plusSeconds(3);

  @TempDir Path dir;
  private SqliteStore store;
  private Party party;
  private PartyServer server;

  @BeforeEach
  void start() {
    store = SqliteStore.open(dir.resolve("party.db"));
    party = Party.builder(store).handlers(h -> h.handler("SampleTask", context -> Outcome.done())).build();
    server = PartyServer.start(ServerConfig.defaults().port(0).maxTasksPerPost(TASKS_PER_POST)
        .maxTasksInFlight(TASKS_PER_POST).enqueueTimeout(ENQUEUE_TIMEOUT), party, null);
  }

  @AfterEach
  void stop() {
    server.close();
    party.close();
    store.close();
  }

  private record Answer(String key, long millis, PartyClientException refusal) {}

  @Test
  void admitted_posts_answer_within_the_bound_the_rest_are_refused_busy_and_retries_store_once() throws Exception {
    List<TaskInput> tasks = new ArrayList<>();
    for (int i = 0; i < TASKS_PER_POST; i++) tasks.add(TaskInput.of("SampleTask", Map.of("n", i)));
    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (PartyClient client = PartyClient.tcp(server.uri()).build()) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        done.add(clients.submit(() -> {
          go.await();
          for (int p = 0; p < POSTS_EACH; p++) {
            String key = PartyClient.newIdempotencyKey();
            long start = System.nanoTime();
            PartyClientException refusal = null;
            try {
              client.enqueue(tasks, key);
            } catch (PartyClientException e) {
              refusal = e;
            }
            answers.add(new Answer(key, (System.nanoTime() - start) / 1_000_000, refusal));
          }
          return null;
        }));
      }
      client.enqueue(tasks.subList(0, 1)); // warm: the first answer pays for class loading, not for the load
      go.countDown();
      for (Future<?> f : done) f.get(2, TimeUnit.MINUTES);
      System.out.println("overload: slowest answers (ms) " + answers.stream().mapToLong(Answer::millis).sorted().skip(answers.size() - 5).boxed().toList()
          + ", refused " + answers.stream().filter(a -> a.refusal() != null).count() + " of " + answers.size());

      assertThat(answers).hasSize(CLIENTS * POSTS_EACH);
      assertThat(answers).allSatisfy(a -> assertThat(a.millis()).isLessThanOrEqualTo(BOUND.toMillis()));
      List<Answer> refused = answers.stream().filter(a -> a.refusal() != null).toList();
      assertThat(refused).isNotEmpty().allSatisfy(a -> {
        assertThat(a.refusal().status()).isEqualTo(503);
        assertThat(a.refusal().code()).isEqualTo("busy");
        assertThat(a.refusal().retryAfter()).isNotNull();
      });
      long admitted = answers.size() - refused.size();
      assertThat(stored()).as("a refused request stores nothing").isEqualTo(admitted * TASKS_PER_POST + 1);

      // Every client sends its refused and its admitted requests again with their keys: each stores once.
      for (Answer a : answers) {
        sendUntilTaken(() -> client.enqueue(tasks, a.key()));
      }
      assertThat(stored()).isEqualTo((long) CLIENTS * POSTS_EACH * TASKS_PER_POST + 1);
    } finally {
      clients.shutdownNow();
    }
  }

  /** Sends again after Retry-After until the server takes it (it is idle now, so once or twice). */
  private static void sendUntilTaken(Runnable post) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      try {
        post.run();
        return true;
      } catch (PartyClientException e) {
        if (!e.code().equals("busy")) throw e;
        return false;
      }
    });
  }

  private long stored() {
    return party.status().states().values().stream().mapToLong(Long::longValue).sum();
  }
}
