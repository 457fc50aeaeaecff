package dev.party.server.dashboard;

import dev.party.error.ErrorCode;
import dev.party.server.api.HttpRefusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read from the jar: its own pages, scripts and styles, and uPlot from its
 * WebJar. Names are checked against a strict pattern before any look-up, so no path can climb out
 * of these folders.
 */
final class DashboardAssets {
  private static final String OWN = "/dev/party/server/dashboard/";
  private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,63}\\.(html|js|css|svg)");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");

  /** A file and its content type. */
  record Asset(byte[] bytes, String contentType) {}

  private final String vendorFolder;
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  DashboardAssets() {
    this.vendorFolder = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
  }

  /** A page of the dashboard's own, by file name. */
  Asset page(String name) {
    return load(OWN, name);
  }

  /** A script or style of the dashboard's own, by file name. */
  Asset own(String name) {
    return load(OWN + "assets/", name);
  }

  /** A file of the uPlot WebJar's dist folder. */
  Asset vendor(String name) {
    return load(vendorFolder, name);
  }

  private Asset load(String folder, String name) {
    if (name == null || !NAME.matcher(name).matches() || name.contains("..")) throw missing(name);
    return cache.computeIfAbsent(folder + name, DashboardAssets::read).orElseThrow(() -> missing(name));
  }

  private static Optional<Asset> read(String path) {
    try (InputStream in = DashboardAssets.class.getResourceAsStream(path)) {
      if (in == null) return Optional.empty();
      String extension = path.substring(path.lastIndexOf('.') + 1);
      return Optional.of(new Asset(in.readAllBytes(), TYPES.get(extension)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " from the jar", e);
    }
  }

  private static HttpRefusal missing(String name) {
    return new HttpRefusal(ErrorCode.NOT_FOUND, "the dashboard has no file '%s'".formatted(name));
  }

  /** The WebJar's version, from its own Maven metadata, so a version bump in the POM is enough. */
  private static String uplotVersion() {
    try (InputStream in = DashboardAssets.class.getResourceAsStream(UPLOT_POM)) {
      if (in == null) throw new IllegalStateException("the uPlot WebJar is not on the classpath");
      var properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
    }
  }
}
