package dev.party.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from the system (Debian's chromium and chromium-driver), driven by Selenium
 * with the system driver, so nothing is downloaded. Without Chromium the browser tests are skipped,
 * except under CI=true, where they must run.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Where every run saves its screenshots. */
  static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
  /** -Dparty.screenshots=../docs/img also copies them there, to refresh the docs' set. */
  static final String DOCS_PROPERTY = "party.screenshots";

  private final ChromeDriver driver;
  private final Path profile;
  private URI base;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser start() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI needs " + CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
    }
    assumeTrue(present, "no " + CHROMIUM + " or " + CHROMEDRIVER + ": browser tests skipped");
    Path profile = Files.createTempDirectory("party-chromium-");
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,1000", "--lang=en-US", "--user-data-dir=" + profile);
    // The console, to catch script errors and Content-Security-Policy refusals.
    options.setCapability("goog:loggingPrefs", java.util.Map.of(LogType.BROWSER, "ALL"));
    var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  /** The server the relative paths below go to. */
  Browser at(URI server) {
    this.base = server;
    // Leave the last test's page (it polls a server that is gone) and forget what it logged.
    driver.get("about:blank");
    driver.manage().logs().get(LogType.BROWSER);
    driver.manage().deleteAllCookies();
    return this;
  }

  WebDriver driver() {
    return driver;
  }

  void open(String path) {
    driver.get(base.resolve(path).toString());
  }

  String path() {
    return URI.create(driver.getCurrentUrl()).getPath();
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits for a fact about the page; the page refreshes itself, so elements may be replaced meanwhile. */
  <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage(what)
        .ignoring(StaleElementReferenceException.class).until(condition);
  }

  /** Waits until {@code css} matches an element whose text holds {@code text}. */
  WebElement awaitText(String css, String text) {
    return await(css + " showing '" + text + "'", d -> d.findElements(By.cssSelector(css)).stream()
        .filter(e -> e.getText().contains(text)).findFirst().orElse(null));
  }

  /** Waits for the page's first refresh from the API to have drawn. */
  void awaitDrawn() {
    await("the page to draw its data", d -> d.findElement(By.tagName("body")).getDomAttribute("data-refreshed") != null);
  }

  /** Accepts the confirm() the page opened, saying what it asked. */
  String acceptConfirm() {
    var alert = new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
    String text = alert.getText();
    alert.accept();
    return text;
  }

  Object script(String code, Object... args) {
    return driver.executeScript(code, args);
  }

  Object asyncScript(String code, Object... args) {
    return driver.executeAsyncScript(code, args);
  }

  /**
   * The console's errors since the last call: script errors and CSP refusals. Refusals the tests
   * provoke on purpose (401 before log-in, 403 for a read-only token) are expected, not errors.
   */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(message -> !message.contains("status of 401") && !message.contains("status of 403"))
        .toList();
  }

  /** Saves the page as name.png under target/, and in the docs folder when asked to; the page must have logged no error. */
  void screenshot(String name) {
    assertThat(consoleErrors()).as("console errors on " + name).isEmpty();
    try {
      Files.createDirectories(SCREENSHOTS);
      Path shot = SCREENSHOTS.resolve(name + ".png");
      File taken = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(taken.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
      String docs = System.getProperty(DOCS_PROPERTY);
      if (docs != null && !docs.isBlank()) {
        Files.createDirectories(Path.of(docs));
        Files.copy(shot, Path.of(docs).resolve("dashboard-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resizes the window so the whole page fits, for a screenshot of all of it. */
  void fitPage() {
    Number height = (Number) script("return document.documentElement.scrollHeight");
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, Math.min(2400, Math.max(800, height.intValue() + 20))));
  }

  void resetWindow() {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      List<Path> paths = new ArrayList<>();
      try (var walk = Files.walk(profile)) {
        walk.forEach(paths::add);
      }
      for (Path path : paths.reversed()) Files.deleteIfExists(path);
    }
  }
}
