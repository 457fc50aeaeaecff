package dev.party.cli;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives picocli the value of a flag that was not given: its environment variable when set, else
 * the config file's key, else nothing (and the flag's own default applies). So a flag wins over
 * the environment, the environment over the file, and the file over the default. Only the
 * settings' own options are answered: {@code party schedule --name} is a schedule's name, not
 * {@code workers.name}.
 */
final class ConfigDefaults implements IDefaultValueProvider {
  /** The classes that declare the options of {@link ConfigKey}. */
  private static final Set<Class<?>> SETTINGS = Set.of(StoreOptions.class, EngineOptions.class, CleanupOptions.class,
      ServerCommand.class, WorkerCommand.class, ConfigCommand.class);

  /** Where a value came from, in the order they win. */
  enum Source { FLAG, ENVIRONMENT, FILE, DEFAULT }

  /** A value the environment or the file gives a flag; {@code origin} says which, for messages. */
  record Found(String value, Source source, String origin) {}

  private final ConfigFile file;
  private final Map<String, String> env;

  ConfigDefaults(ConfigFile file, Map<String, String> env) {
    this.file = file;
    this.env = Map.copyOf(env);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !(option.userObject() instanceof Field field)
        || !SETTINGS.contains(field.getDeclaringClass())) {
      return null;
    }
    return find(option.longestName()).map(Found::value).orElse(null);
  }

  /** The value the environment or the file gives a flag, and where from; empty when neither does. */
  Optional<Found> find(String flag) {
    Optional<ConfigKey> setting = ConfigKey.byFlag(flag);
    if (setting.isEmpty()) return Optional.empty();
    String fromEnv = env.get(setting.get().env());
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new Found(fromEnv.strip(), Source.ENVIRONMENT, "the environment variable " + setting.get().env()));
    }
    String key = setting.get().key();
    String fromFile = key == null ? null : file.values().get(key);
    if (fromFile != null) return Optional.of(new Found(fromFile, Source.FILE, "%s in %s".formatted(key, file.path())));
    return Optional.empty();
  }

  /** Where a flag not given on the command line gets its value. */
  Source source(String flag) {
    return find(flag).map(Found::source).orElse(Source.DEFAULT);
  }

  ConfigFile file() {
    return file;
  }

  Map<String, String> env() {
    return env;
  }
}
