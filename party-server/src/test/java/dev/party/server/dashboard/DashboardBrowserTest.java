package dev.party.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.party.Party;
import dev.party.schedule.Schedule;
import dev.party.server.ApiToken;
import dev.party.server.PartyServer;
import dev.party.server.ServerConfig;
import dev.party.store.sqlite.SqliteStore;
import dev.party.task.Outcome;
import dev.party.task.TaskId;
import dev.party.task.TaskRequest;
import dev.party.task.TaskState;
import dev.party.task.TaskType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in headless Chromium against a real server, a real SQLite store and real workers:
 * every page opens and draws, a failed task is retried with its button and finishes, data holding
 * {@code <script>} shows as text, and a read-only login sees no actions and is refused one. Each
 * page is saved as a screenshot (see {@link Browser#screenshot}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  private static final String ADMIN = "admin-token-0123456789";
  private static final String READER = "read-token-0123456789";
  private static final String SCRIPT = "<script>window.__pwned=1</script>";

  private Browser browser;
  @TempDir Path dir;
  private SqliteStore store;
  private Party party;
  private PartyServer server;
  /** The Flaky handler fails until this is set: "fix the bug, then retry". */
  private final AtomicBoolean fixed = new AtomicBoolean();
  private CountDownLatch releaseSlow;

  @BeforeAll
  void startBrowser() throws Exception {
    browser = Browser.start();
  }

  @AfterAll
  void stopBrowser() throws Exception {
    if (browser != null) browser.close();
  }

  @BeforeEach
  void startParty() {
    // One test instance serves every test (one browser), so per-test state starts here.
    fixed.set(false);
    releaseSlow = new CountDownLatch(1);
    store = SqliteStore.open(dir.resolve("party.db"));
    party = Party.builder(store).workerId("dashboard-test-1").workers(4).pollInterval(Duration.ofMillis(100))
        .handlers(h -> h
            .handler("SendEmail", context -> Outcome.done(Map.of("sent", true, "to", context.data().path("to").asText())))
            .handler("Echo", context -> Outcome.done(context.data()))
            .handler(TaskType.of("Flaky").maxAttempts(1), JsonNode.class, context -> {
              if (!fixed.get()) throw new IllegalStateException("the printer is on fire");
              return Outcome.done(Map.of("printed", context.data().path("pages").asInt()));
            })
            .handler("Slow", context -> {
              context.progress(60);
              context.log("rendered 6 of 10 frames");
              releaseSlow.await();
              return Outcome.done();
            }))
        .build().start();
  }

  @AfterEach
  void stopParty() {
    releaseSlow.countDown();
    if (server != null) server.close();
    party.close();
    store.close();
  }

  private void serve(List<ApiToken> tokens) {
    server = PartyServer.start(ServerConfig.defaults().port(0).tokens(tokens), party, null);
    browser.at(server.uri());
  }

  private static List<ApiToken> tokens() {
    return List.of(new ApiToken(ADMIN, Set.of(ApiToken.Scope.ADMIN)), new ApiToken(READER, Set.of(ApiToken.Scope.READ)));
  }

  private TaskState state(TaskId id) {
    return party.task(id).orElseThrow().state();
  }

  private TaskId failedFlakyTask() {
    TaskId id = party.enqueue(TaskRequest.of("Flaky", Map.of("pages", 3)));
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id) == TaskState.FAILED);
    return id;
  }

  private void logIn(String token) {
    browser.open("/dashboard");
    browser.await("the login page", d -> browser.path().equals("/dashboard/login"));
    browser.find("#token").sendKeys(token);
    browser.find("#login button[type=submit]").click();
  }

  @Test
  void an_admin_logs_in_sees_every_page_and_retries_a_failed_task_with_its_button_until_it_finishes() {
    serve(tokens());
    for (int i = 0; i < 12; i++) party.enqueue(TaskRequest.of("SendEmail", Map.of("to", "guest" + i + "@example.org")));
    TaskId slow = party.enqueue(TaskRequest.of("Slow", Map.of("film", "holiday.mp4")));
    TaskId failed = failedFlakyTask();
    party.enqueue(TaskRequest.of("SendEmail", Map.of("to", "later@example.org")).runIn(Duration.ofHours(2)));
    party.schedules().add(Schedule.every(Duration.ofHours(1), TaskRequest.of("SendEmail", Map.of("to", "digest@example.org")))
        .named("hourly-digest"));
    party.schedules().add(Schedule.cron("0 3 * * *", TaskRequest.of("Echo", Map.of("report", "nightly"))).named("nightly-report"));
    await().atMost(Duration.ofSeconds(10)).until(() -> state(slow) == TaskState.RUNNING);

    browser.open("/dashboard/login");
    browser.screenshot("login");
    logIn(ADMIN);
    browser.await("the overview after login", d -> browser.path().equals("/dashboard"));
    browser.awaitDrawn();
    browser.awaitText(".card[data-state=FAILED] .count", "1");
    browser.await("the chart", d -> !browser.all("#chart canvas").isEmpty());
    assertThat(browser.find("#handlers").getText()).contains("SendEmail", "Flaky");
    assertThat(browser.find("#workers").getText()).contains("Live workers", "dashboard-test-1", "Restarted workers")
        .doesNotContain("[object");
    assertThat(browser.find("#cleanup").getText()).contains("Last run");
    browser.screenshot("overview");

    // Live: a task that fails meanwhile shows up without a reload (the marker survives).
    browser.script("window.__samePage = true");
    failedFlakyTask();
    browser.awaitText(".card[data-state=FAILED] .count", "2");
    assertThat(browser.script("return window.__samePage === true")).isEqualTo(true);

    browser.open("/dashboard/tasks");
    browser.awaitDrawn();
    browser.awaitText("#tasks tbody", "SendEmail");
    assertThat(browser.all("#tasks tbody tr")).hasSizeGreaterThan(10);
    browser.fitPage();
    browser.screenshot("tasks");
    browser.resetWindow();

    browser.open("/dashboard/tasks?state=FAILED");
    browser.awaitDrawn();
    browser.awaitText("#tasks tbody tr[data-id='" + failed.value() + "']", "FAILED");
    assertThat(browser.find("#retry-all").isDisplayed()).isTrue();
    assertThat(browser.find("#tasks tbody tr[data-id='" + failed.value() + "'] .error-line").getText())
        .contains("the printer is on fire");
    browser.screenshot("tasks-failed");

    browser.open("/dashboard/task?id=" + slow.value());
    browser.awaitDrawn();
    browser.awaitText("#progress-text", "60%");
    browser.awaitText("#log", "rendered 6 of 10 frames");
    browser.screenshot("task-running");

    browser.open("/dashboard/task?id=" + failed.value());
    browser.awaitDrawn();
    browser.awaitText("#state", "FAILED");
    String error = browser.find("#error").getText();
    assertThat(error).contains("the printer is on fire").contains("at dev.party.");
    browser.fitPage();
    browser.screenshot("task-failed");
    browser.resetWindow();

    fixed.set(true);
    browser.find("#actions button[data-action=retry]").click();
    browser.awaitText("#state", "FINISHED");
    assertThat(state(failed)).isEqualTo(TaskState.FINISHED);
    browser.awaitText("#result", "\"printed\": 3");
    assertThat(browser.find("#log").getText()).contains("retried by request");
    browser.fitPage();
    browser.screenshot("task-finished");
    browser.resetWindow();

    browser.open("/dashboard/schedules");
    browser.awaitDrawn();
    WebElement pause = browser.await("the pause button", d -> d.findElement(
        By.cssSelector("tr[data-name='hourly-digest'] button[data-action=pause]")));
    pause.click();
    browser.awaitText("tr[data-name='hourly-digest']", "paused");
    assertThat(party.schedules().get("hourly-digest").orElseThrow().paused()).isTrue();
    assertThat(browser.find("tr[data-name='nightly-report']").getText()).contains("cron 0 3 * * *");
    browser.screenshot("schedules");
    browser.find("tr[data-name='hourly-digest'] button[data-action=resume]").click();
    browser.await("resumed", d -> !party.schedules().get("hourly-digest").orElseThrow().paused());

    browser.open("/dashboard/workers");
    browser.awaitDrawn();
    browser.awaitText("#workers tbody", "dashboard-test-1");
    assertThat(browser.find("#workers tbody").getText()).contains("live");
    browser.screenshot("workers");
  }

  @Test
  void data_holding_a_script_shows_as_text_and_never_runs_and_bulk_retry_works_without_tokens() {
    serve(List.of());
    TaskId echo = party.enqueue(TaskRequest.of("Echo", Map.of("note", SCRIPT, "html", "<img src=x onerror=\"window.__pwned=2\">")));
    await().atMost(Duration.ofSeconds(10)).until(() -> state(echo) == TaskState.FINISHED);
    TaskId first = failedFlakyTask();
    TaskId second = failedFlakyTask();

    browser.open("/dashboard/task?id=" + echo.value());
    browser.awaitDrawn();
    browser.awaitText("#data", SCRIPT);
    assertThat(browser.find("#result").getText()).contains(SCRIPT).contains("<img src=x");
    assertThat(browser.script("return window.__pwned === undefined")).isEqualTo(true);
    assertThat(browser.all("#data script, #result script, #data img, #result img")).isEmpty();
    // nowhere on the page: its own scripts all come from files, and it shows no images
    assertThat(browser.all("script:not([src]), img")).isEmpty();
    browser.screenshot("task-script-as-text");

    fixed.set(true);
    browser.open("/dashboard/tasks?state=FAILED");
    browser.awaitDrawn();
    browser.awaitText("#tasks tbody", first.value());
    browser.find("#retry-all").click();
    assertThat(browser.acceptConfirm()).isEqualTo("Put every failed task back in the queue?");
    browser.awaitText("#notice", "2 failed task(s) put back in the queue");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> state(first) == TaskState.FINISHED && state(second) == TaskState.FINISHED);
    browser.awaitText("#empty", "No tasks match");
  }

  @Test
  void a_read_only_login_sees_no_actions_and_is_refused_one_and_a_bad_token_is_told_so() {
    serve(tokens());
    TaskId failed = failedFlakyTask();

    logIn("not-the-token-at-all-0000");
    browser.awaitText("#notice", "not valid");
    browser.screenshot("login-refused");

    browser.find("#token").clear();
    logIn(READER);
    browser.await("the overview after login", d -> browser.path().equals("/dashboard"));
    browser.open("/dashboard/tasks?state=FAILED");
    browser.awaitDrawn();
    browser.awaitText("#tasks tbody tr[data-id='" + failed.value() + "']", "FAILED");
    assertThat(browser.all("button[data-action]")).isEmpty();
    assertThat(browser.find("#retry-all").isDisplayed()).isFalse();
    assertThat(browser.find("#notice").getText()).contains("Read-only");
    browser.screenshot("read-only");

    // The page's own code, with the login's CSRF secret, asks anyway: the server refuses.
    Object status = browser.asyncScript("""
        const done = arguments[arguments.length - 1];
        Dash.api('/tasks/' + arguments[0] + '/retry', { method: 'POST' }).then(() => done(200), (e) => done(e.status));""",
        failed.value());
    assertThat(((Number) status).intValue()).isEqualTo(403);
    assertThat(state(failed)).isEqualTo(TaskState.FAILED);
  }
}
