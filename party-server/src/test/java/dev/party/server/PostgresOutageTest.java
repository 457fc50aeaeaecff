package dev.party.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.party.Party;
import dev.party.client.PartyClient;
import dev.party.client.PartyClientException;
import dev.party.client.TaskInput;
import dev.party.store.postgres.PostgresOptions;
import dev.party.store.postgres.PostgresStore;
import dev.party.task.Outcome;
import dev.party.testkit.PostgresSchema;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL made unreachable behind a TCP proxy: POSTs answer 503 store_unavailable within 2 s
 * each (the circuit fails them at once after the first failure), and succeed again once the
 * database answers, without a restart.
 */
class PostgresOutageTest {
  private static final Duration WITHIN = Duration.ofSeconds(2);

  private PostgresSchema database;
  private TcpProxy proxy;
  private PostgresStore store;
  private Party party;
  private PartyServer server;
  private PartyClient client;

  @BeforeEach
  void start() throws Exception {
    database = PostgresSchema.create();
    URI direct = URI.create(database.url().substring("jdbc:".length()));
    proxy = new TcpProxy(direct.getPort());
    String viaProxy = database.url().replace(":" + direct.getPort() + "/", ":" + proxy.port() + "/");
    store = PostgresStore.open(PostgresOptions.of(viaProxy));
    party = Party.builder(store).handlers(h -> h.handler("SampleTask", context -> Outcome.done())).build();
    server = PartyServer.start(ServerConfig.defaults().port(0), party, null);
    client = PartyClient.tcp(server.uri()).timeout(Duration.ofSeconds(20)).build();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
    party.close();
    store.close();
    proxy.close();
    database.close();
  }

  /** The millis a POST took, with the error code it got (null when stored). */
  private record Answer(long millis, String code) {}

  private Answer post() {
    long start = System.nanoTime();
    String code = null;
    try {
      client.enqueue(TaskInput.of("SampleTask", Map.of()));
    } catch (PartyClientException e) {
      code = e.code();
    }
    return new Answer((System.nanoTime() - start) / 1_000_000, code);
  }

  @Test
  void during_an_outage_posts_answer_503_within_2_s_and_succeed_again_after_it() throws Exception {
    assertThat(post().code()).isNull();

    proxy.cut();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (int c = 0; c < 8; c++) answers.add(clients.submit(this::post));
        for (Future<Answer> answer : answers.subList(answers.size() - 8, answers.size())) answer.get(30, TimeUnit.SECONDS);
      }
      for (Future<Answer> f : answers) {
        Answer answer = f.get();
        assertThat(answer.code()).isEqualTo("store_unavailable");
        assertThat(answer.millis()).as("answered in ms").isLessThanOrEqualTo(WITHIN.toMillis());
      }
    } finally {
      clients.shutdownNow();
    }

    proxy.resume();
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> post().code() == null);
    assertThat(post().code()).isNull();
  }
}
