package dev.party.cli;

import dev.party.PartyBuilder;
import dev.party.error.ConfigException;
import dev.party.task.FunctionRef;
import dev.party.task.PartyTask;
import dev.party.task.TaskFunction;
import dev.party.task.TaskHandler;
import dev.party.task.TaskModule;
import dev.party.task.TaskType;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Registers every {@link TaskModule} on the classpath, then those in the jars of the tasks folder
 * (each jar gets its own class loader; its modules are found with ServiceLoader). A jar that
 * cannot be read, a module that cannot be loaded, and two handlers with one name stop the start
 * with an error naming the jar.
 */
final class Handlers {
  /** Where the tasks folder's jars are read from when no other is named and it exists. */
  static final Path DEFAULT_TASKS_DIR = Path.of("tasks");

  private Handlers() {}

  /** The classpath's modules, then those of tasks/ when it exists (or of PARTY_TASKS_DIR). */
  /**
   * The classpath's modules, then each jar of {@code tasksDir} (null: tasks/ when it exists),
   * sorted by name.
   */
  static PartyBuilder registerAll(PartyBuilder builder, Path tasksDir) {
    Map<String, String> origins = new HashMap<>();
    for (TaskModule module : ServiceLoader.load(TaskModule.class)) register(builder, module, "the classpath", origins);
    for (Path jar : jars(tasksDir)) {
      for (TaskModule module : modules(jar)) register(builder, module, jar.toString(), origins);
    }
    return builder;
  }

  private static List<Path> jars(Path tasksDir) {
    Path dir = tasksDir != null ? tasksDir : DEFAULT_TASKS_DIR;
    if (!Files.isDirectory(dir)) {
      if (tasksDir != null) throw new ConfigException("the tasks folder " + tasksDir + " does not exist");
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new ConfigException("cannot list the tasks folder " + dir + ": " + e.getMessage());
    }
  }

  /** The modules in {@code jar} itself, not those its class loader also sees on the classpath. */
  private static List<TaskModule> modules(Path jar) {
    try (ZipFile readable = new ZipFile(jar.toFile())) {
      readable.size(); // a jar that is no zip is refused here, with its name
    } catch (IOException e) {
      throw new ConfigException("%s is not a readable jar: %s".formatted(jar, e.getMessage()));
    }
    try {
      // Open for the life of the process: the handlers' classes load from it as they run.
      URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, Handlers.class.getClassLoader());
      List<TaskModule> modules = ServiceLoader.load(TaskModule.class, loader).stream()
          .filter(provider -> provider.type().getClassLoader() == loader)
          .map(ServiceLoader.Provider::get)
          .toList();
      if (modules.isEmpty()) {
        throw new ConfigException(jar + " holds no task module: list its TaskModule classes in "
            + "META-INF/services/dev.party.task.TaskModule");
      }
      return modules;
    } catch (ServiceConfigurationError | LinkageError e) {
      throw new ConfigException("%s: a task module cannot be loaded: %s".formatted(jar, e.getMessage()));
    } catch (IOException e) {
      throw new ConfigException("%s: %s".formatted(jar, e.getMessage()));
    }
  }

  private static void register(PartyBuilder builder, TaskModule module, String origin, Map<String, String> origins) {
    builder.handlers(handlers -> {
      try {
        module.register(new Named(handlers, origin, origins));
      } catch (ConfigException e) {
        throw e;
      } catch (RuntimeException | LinkageError e) {
        throw new ConfigException("%s: %s failed to register its handlers: %s"
            .formatted(origin, module.getClass().getName(), e.getMessage()));
      }
    });
  }

  /** Passes registrations on, after checking that no other jar (or the classpath) took the name. */
  private record Named(dev.party.task.Handlers inner, String origin, Map<String, String> origins)
      implements dev.party.task.Handlers {

    private void claim(String name) {
      String earlier = origins.putIfAbsent(name, origin);
      if (earlier != null) {
        throw new ConfigException(("two handlers are named '%s': one from %s, one from %s; "
            + "rename one, or remove one of them").formatted(name, earlier, origin));
      }
    }

    @Override
    public <D> dev.party.task.Handlers handler(TaskType type, Class<D> dataType, TaskHandler<D> handler) {
      claim(type.name());
      inner.handler(type, dataType, handler);
      return this;
    }

    @Override
    public dev.party.task.Handlers task(TaskType type, Supplier<? extends PartyTask> factory) {
      claim(type.name());
      inner.task(type, factory);
      return this;
    }

    @Override
    public <A> FunctionRef<A> function(TaskType type, Class<A> argsType, TaskFunction<A> function) {
      claim(type.name());
      return inner.function(type, argsType, function);
    }
  }
}
