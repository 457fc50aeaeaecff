package dev.party.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.party.error.StoreException;
import dev.party.error.TaskConflictException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StoreCircuitTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
  private final InstantSource clock = now::get;
  private final StoreCircuit circuit = new StoreCircuit(clock, Duration.ofSeconds(1), () -> false);
  private final AtomicInteger tried = new AtomicInteger();

  private String down() {
    tried.incrementAndGet();
    throw new StoreException("insert failed", new SQLException("connection refused", "08001"));
  }

  private String up() {
    tried.incrementAndGet();
    return "ok";
  }

  @Test
  void after_an_unreachable_database_calls_fail_at_once_until_a_probe_a_second_later_succeeds() {
    assertThatThrownBy(() -> circuit.call("insert", this::down)).isInstanceOf(StoreException.class);
    assertThat(circuit.open()).isTrue();

    assertThatThrownBy(() -> circuit.call("insert", this::up)).hasMessageContaining("not tried");
    assertThatThrownBy(() -> circuit.refuseWhileOpen("insert")).isInstanceOf(StoreException.class);
    assertThat(tried).hasValue(1);

    now.set(now.get().plusSeconds(1));
    circuit.refuseWhileOpen("insert"); // a probe is due: a caller may go on to be it
    assertThat(circuit.call("insert", this::up)).isEqualTo("ok");
    assertThat(circuit.open()).isFalse();
    assertThat(tried).hasValue(2);
  }

  @Test
  void a_failed_probe_keeps_it_open_for_another_second() {
    assertThatThrownBy(() -> circuit.call("insert", this::down)).isInstanceOf(StoreException.class);
    now.set(now.get().plusSeconds(1));
    assertThatThrownBy(() -> circuit.call("insert", this::down)).hasMessageContaining("insert failed");
    assertThatThrownBy(() -> circuit.call("insert", this::up)).hasMessageContaining("not tried");
    assertThat(tried).hasValue(2);
  }

  @Test
  void a_statement_s_own_failure_does_not_open_it() {
    assertThatThrownBy(() -> circuit.call("insert", () -> {
      throw new TaskConflictException("held");
    })).isInstanceOf(TaskConflictException.class);
    assertThatThrownBy(() -> circuit.call("insert", () -> {
      throw new StoreException("deadlock", new SQLException("deadlock detected", "40P01"));
    })).isInstanceOf(StoreException.class);

    assertThat(circuit.open()).isFalse();
  }
}
