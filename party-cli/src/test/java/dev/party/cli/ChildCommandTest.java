package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.PartyConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class ChildCommandTest {

  private static ParseResult worker(String... args) {
    return Main.commandLine().parseArgs(args).subcommand();
  }

  @Test
  void children_get_the_supervisors_flags_without_the_ones_it_sets_per_child() {
    ParseResult parsed = worker("worker", "--processes", "3", "--name", "pool", "--index", "4", "--workers", "2",
        "--queue", "video=1", "--queue", "default=2", "--virtual-threads", "--grace", "5s", "--db", "x/party.db");

    assertThat(ChildCommand.workerFlags(parsed)).containsExactly("--workers", "2", "--queue", "video=1", "--queue",
        "default=2", "--virtual-threads", "--grace", "5s", "--db", "x/party.db");
  }

  @Test
  void children_are_named_name_index_or_hostname_index_and_the_supervisor_after_them() {
    assertThat(ChildCommand.names("pool", 1, 3)).containsExactly("pool-1", "pool-2", "pool-3");
    assertThat(ChildCommand.names(null, 4, 2))
        .containsExactly(PartyConfig.defaultWorkerId(4), PartyConfig.defaultWorkerId(5));
    assertThat(ChildCommand.supervisorName("pool")).isEqualTo("pool");
    assertThat(ChildCommand.supervisorName(null))
        .isEqualTo(PartyConfig.defaultWorkerId(1).replaceAll("-1$", "-supervisor"));
  }

  @Test
  void a_process_count_out_of_range_is_refused_before_anything_starts() {
    CliRun run = CliRun.of("worker", "--processes", "0", "--db", "/nonexistent/dir/party.db");
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("--processes 0");
  }
}
