package dev.party.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.error.ErrorCode;
import dev.party.error.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
  private final List<String> written = new CopyOnWriteArrayList<>();
  private final CountDownLatch writing = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** Writes each batch; the request "slow" holds its write until the test releases it. */
  private final GroupCommit<String, String> commit = new GroupCommit<>(batch -> {
    for (var pending : batch) {
      if (pending.request().equals("slow")) {
        writing.countDown();
        release.await(10, TimeUnit.SECONDS);
      }
      written.add(pending.request());
      pending.answer(pending.request() + " ok");
    }
  });

  @Test
  void a_request_no_write_took_within_its_wait_is_refused_busy_and_never_written() throws Exception {
    Thread slow = Thread.ofPlatform().start(() -> commit.submit("slow"));
    assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> commit.submit("late", Duration.ofMillis(50)))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));

    release.countDown();
    slow.join(5_000);
    assertThat(commit.submit("next", Duration.ofSeconds(5))).isEqualTo("next ok");
    assertThat(written).containsExactly("slow", "next");
  }

  @Test
  void without_a_wait_bound_a_request_waits_for_its_turn() throws Exception {
    Thread slow = Thread.ofPlatform().start(() -> commit.submit("slow"));
    assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
    var answer = new java.util.concurrent.CompletableFuture<String>();
    Thread waiting = Thread.ofPlatform().start(() -> answer.complete(commit.submit("patient")));

    release.countDown();

    assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("patient ok");
    slow.join(5_000);
    waiting.join(5_000);
    assertThat(written).containsExactly("slow", "patient");
  }
}
