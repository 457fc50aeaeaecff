package dev.party.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.party.store.sqlite.SqliteStore;
import dev.party.task.TaskQuery;
import dev.party.task.TaskState;
import dev.party.task.TaskView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jars dropped into the tasks folder: compiled here from source, loaded by `party worker`, their
 * handlers run; a broken jar or a name taken twice stops the start and names the jar.
 */
class TasksDirectoryTest {
  @TempDir Path dir;

  /** Compiles a TaskModule registering {@code handler}, and packs it with its service file. */
  private Path jar(String jarName, String className, String handler) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src-" + className).resolve("acme"));
    Files.writeString(src.resolve(className + ".java"), """
        package acme;
        public final class %s implements dev.party.task.TaskModule {
          @Override public void register(dev.party.task.Handlers handlers) {
            handlers.handler("%s", context -> dev.party.task.Outcome.done(java.util.Map.of("from", "%s")));
          }
        }
        """.formatted(className, handler, jarName));
    Path classes = Files.createDirectories(dir.resolve("classes-" + className));
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null,
        "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), src.resolve(className + ".java").toString());
    assertThat(compiled).isZero();
    Path jar = Files.createDirectories(dir.resolve("tasks")).resolve(jarName);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("META-INF/services/dev.party.task.TaskModule"));
      out.write(("acme." + className + "\n").getBytes());
      out.closeEntry();
      out.putNextEntry(new JarEntry("acme/" + className + ".class"));
      try (Stream<Path> files = Files.list(classes.resolve("acme"))) {
        Path compiledClass = files.filter(f -> f.getFileName().toString().equals(className + ".class")).findFirst().orElseThrow();
        out.write(Files.readAllBytes(compiledClass));
      }
      out.closeEntry();
    }
    return jar;
  }

  private CliRun party(String... args) {
    String[] all = Stream.concat(Stream.of(args),
        Stream.of("--db", dir.resolve("party.db").toString())).toArray(String[]::new);
    return CliRun.of(all);
  }

  private CliRun worker() {
    return party("worker", "--drain", "--name", "tasks-dir-test", "--tasks-dir", dir.resolve("tasks").toString());
  }

  @Test
  void a_jar_dropped_into_the_tasks_folder_is_loaded_and_its_handler_runs() throws IOException {
    jar("greetings.jar", "GreetingsModule", "Greet");
    // Stored by a client that knows the name only; the worker below has the code, from the jar.
    try (var store = SqliteStore.open(dir.resolve("party.db"));
        var party = dev.party.Party.builder(store).handlers(h -> h.handler("Greet", c -> dev.party.task.Outcome.done())).build()) {
      party.enqueue(dev.party.task.TaskRequest.of("Greet"));
    }
    CliRun run = worker();
    assertThat(run.exitCode()).as(run.err()).isZero();
    try (var store = SqliteStore.open(dir.resolve("party.db"))) {
      List<TaskView> tasks = store.list(TaskQuery.all());
      assertThat(tasks).singleElement().satisfies(task -> {
        assertThat(task.state()).isEqualTo(TaskState.FINISHED);
        assertThat(task.result()).isEqualTo("{\"from\":\"greetings.jar\"}");
      });
    }
  }

  @Test
  void a_broken_jar_or_a_handler_name_taken_twice_stops_the_start_and_names_the_jar() throws IOException {
    jar("one.jar", "OneModule", "Same");
    jar("two.jar", "TwoModule", "Same");
    CliRun twice = worker();
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("two handlers are named 'Same'", "one.jar", "two.jar").doesNotContain("\tat ");

    Files.delete(dir.resolve("tasks/two.jar"));
    jar("clash.jar", "ClashModule", "SampleTask"); // the examples on the classpath have one
    CliRun clash = worker();
    assertThat(clash.err()).contains("two handlers are named 'SampleTask'", "the classpath", "clash.jar");
    Files.delete(dir.resolve("tasks/clash.jar"));

    try (OutputStream garbage = Files.newOutputStream(dir.resolve("tasks/broken.jar"))) {
      garbage.write("not a jar".getBytes());
    }
    CliRun broken = worker();
    assertThat(broken.exitCode()).isEqualTo(2);
    assertThat(broken.err()).contains("broken.jar is not a readable jar");
  }
}
