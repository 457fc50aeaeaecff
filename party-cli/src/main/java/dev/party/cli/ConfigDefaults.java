package dev.party.cli;

import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives picocli the value of a flag that was not given: its environment variable when set, else
 * the config file's key, else nothing (and the flag's own default applies). So a flag wins over
 * the environment, the environment over the file, and the file over the default.
 */
final class ConfigDefaults implements IDefaultValueProvider {
  private final ConfigFile file;
  private final Map<String, String> env;

  ConfigDefaults(ConfigFile file, Map<String, String> env) {
    this.file = file;
    this.env = Map.copyOf(env);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    return arg instanceof OptionSpec option ? lookUp(option.longestName()).map(Found::value).orElse(null) : null;
  }

  /** Where a flag's value came from when it was not given, for messages about a bad value. */
  Optional<String> origin(String flag) {
    return lookUp(flag).map(Found::origin);
  }

  /** The value the environment or the file gives a flag, and where from; empty when neither does. */
  Optional<Found> find(String flag) {
    return lookUp(flag);
  }

  ConfigFile file() {
    return file;
  }

  private Optional<Found> lookUp(String flag) {
    Optional<ConfigKey> setting = ConfigKey.byFlag(flag);
    if (setting.isEmpty()) return Optional.empty();
    String fromEnv = env.get(setting.get().env());
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new Found(fromEnv.strip(), "the environment variable " + setting.get().env()));
    }
    String key = setting.get().key();
    String fromFile = key == null ? null : file.values().get(key);
    if (fromFile != null) return Optional.of(new Found(fromFile, "%s in %s".formatted(key, file.path())));
    return Optional.empty();
  }

  record Found(String value, String origin) {}
}
