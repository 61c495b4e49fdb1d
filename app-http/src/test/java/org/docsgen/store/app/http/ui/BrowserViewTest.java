package org.docsgen.store.app.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.docsgen.store.app.http.demo.DemoRun;
import org.docsgen.store.app.http.routes.ui.UiRoutes;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser view end to end: a real server on 127.0.0.1 with the {@code --demo} run seeded, a
 * real headless Chromium clicking through it as a reader. Screenshots go to {@code
 * target/browser-screenshots/}.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserViewTest {
  private static final Path SHOTS = Path.of("target", "browser-screenshots");
  private static final String BIG_LINE = "x".repeat(40);

  @TempDir static Path dir;
  private static TestServer server;
  private static Browser browser;
  private static ChromeDriver driver;
  private static String demoRun;
  private static String bigRun;

  @BeforeAll
  static void start() throws Exception {
    AtomicReference<DemoRun.Seeded> seeded = new AtomicReference<>();
    // small limits, so a slice, a 413 and an omitted diff are cheap to provoke
    server =
        TestServer.embeddedWithDemo(
            dir, "  maxPreviewBytes: 65536\ndiff:\n  maxTextBytes: 4096\n", seeded::set);
    demoRun = seeded.get().runId().toString();
    bigRun = seedLargeFiles(server.api());
    browser = Browser.start(Files.createDirectories(dir.resolve("browser")));
    driver = browser.driver();
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** A run with a 3000-line text (two generations), and one line larger than the preview limit. */
  private static String seedLargeFiles(Api api) {
    String w = TestServer.WRITER;
    String run = api.createRun(w, List.of("big.txt"), false);
    api.start(w, run, "phase1");
    Api.expect(api.putText(w, run + "/phase1/big.txt", "DOCUMENTATION", numbered("a")), 201);
    Api.expect(
        api.putText(w, run + "/phase1/wide.txt", "OTHER", "y".repeat(70_000) + "\nshort\n"), 201);
    api.finish(w, run, "phase1", 1, "SUCCEEDED");
    api.start(w, run, "phase1");
    String token =
        api.post(
                "/api/runs/" + run + "/overwrite-tokens",
                w,
                Map.of("path", run + "/phase1/big.txt"))
            .json()
            .path("token")
            .asText();
    Api.expect(
        api.putText(
            w, run + "/phase1/big.txt", "DOCUMENTATION", numbered("b"), "X-Overwrite-Token", token),
        201);
    api.finish(w, run, "phase1", 2, "SUCCEEDED");
    return run;
  }

  private static String numbered(String tag) {
    return IntStream.rangeClosed(1, 3000)
        .mapToObj(i -> "line " + i + " " + tag + " " + BIG_LINE)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  // ---- helpers

  private static String base() {
    return server.server().uri().toString();
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(driver, Browser.WAIT);
  }

  private static WebElement visible(By by) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void h1(String text) {
    waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), text));
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Opens {@code hash} in the view, logged in with {@code token} (through the form if asked). */
  private static void open(String token, String hash) {
    driver.get(base() + "/ui/" + hash);
    waiting()
        .until(
            d ->
                !d.findElements(By.id("login")).isEmpty()
                    || !d.findElements(By.cssSelector("main h1")).isEmpty()
                        && d.findElements(By.cssSelector("main .loading")).isEmpty());
    if (!driver.findElements(By.id("login")).isEmpty()) {
      driver.findElement(By.id("token")).sendKeys(token, Keys.ENTER);
      waiting().until(ExpectedConditions.numberOfElementsToBe(By.id("login"), 0));
    }
    waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("main .loading"), 0));
  }

  private static void shot(String name) {
    browser.screenshot(SHOTS.resolve(name + ".png"));
  }

  // ---- the tests

  @Test
  @Order(1)
  void aReaderLogsInOnceAndFollowsARunToItsFailedGate() {
    driver.get(base() + "/ui/");
    WebElement input = visible(By.id("token"));
    shot("01-login");
    input.sendKeys("not-a-configured-token-000", Keys.ENTER);
    waiting()
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "401"));
    input.clear();
    input.sendKeys(TestServer.READER, Keys.ENTER);

    visible(By.linkText(demoRun)).click();
    h1(demoRun);
    assertThat(driver.findElement(By.id("stage-final")).getText())
        .contains("final@1", "FAILED", "final@2", "SUCCEEDED", "GATE PASSED");
    assertThat(driver.findElement(By.id("stage-phase1")).getText()).contains("phase1@2");
    shot("02-run");

    driver.findElement(By.linkText("final@1")).click();
    h1("final@1");
    WebElement gate = visible(By.id("gate"));
    assertThat(gate.getText())
        .contains("GATE FAILED", "validation found 2 ERROR issues", "2 ERROR issues");
    WebElement failing = driver.findElement(By.id("failing-issues"));
    assertThat(failing.getText())
        .contains("link-target", "heading-order", "phase1/guide.md", "@1 · lines 13–14", "phase1@1")
        .doesNotContain("line-length");
    shot("03-failed-gate");

    // the token is in this tab's sessionStorage, never in the address
    assertThat(js("return sessionStorage.getItem('docsgen.token')")).isEqualTo(TestServer.READER);
    assertThat(driver.getCurrentUrl()).doesNotContain(TestServer.READER);
    assertThat(browser.requestedUrls()).noneMatch(u -> u.contains(TestServer.READER));
  }

  @Test
  @Order(2)
  void issuesFilterByFileRuleAndSeverityWithTheFilterInTheUrl() {
    open(TestServer.READER, "#/runs/" + demoRun + "/issues");
    h1("Issues");
    assertThat(rows("#issues")).hasSize(5);
    assertThat(driver.findElement(By.id("counts")).getText()).contains("2\nERROR", "1\nWARNING");

    new Select(driver.findElement(By.id("f-severity"))).selectByValue("ERROR");
    waiting().until(ExpectedConditions.urlContains("severity=ERROR"));
    waiting().until(d -> rows("#issues").size() == 2);
    assertThat(rows("#issues")).allMatch(r -> r.getText().contains("ERROR"));

    new Select(driver.findElement(By.id("f-rule"))).selectByValue("heading-order");
    waiting().until(ExpectedConditions.urlContains("rule=heading-order"));
    waiting().until(d -> rows("#issues").size() == 1);

    // the URL is the filter: reloading it shows the same rows
    driver.navigate().refresh();
    waiting().until(d -> rows("#issues").size() == 1);
    assertThat(rows("#issues").get(0).getText()).contains("heading level jumps from 2 to 4");

    open(
        TestServer.READER,
        "#/runs/" + demoRun + "/issues?file=" + demoRun + "/phase1/api.md&stage=final&attempt=2");
    waiting().until(d -> rows("#issues").size() == 1);
    assertThat(rows("#issues").get(0).getText()).contains("persisting", "code-fence-language");
    assertThat(driver.findElement(By.id("lineage")).getText())
        .contains("final@1 → final@2", "0 new", "3 fixed", "1 persisting");
    open(TestServer.READER, "#/runs/" + demoRun + "/issues?stage=final&attempt=1");
    shot("04-issues");
  }

  @Test
  @Order(3)
  void anIssueDeepLinkOpensItsGenerationScrolledToAndHighlightingItsLines() {
    open(TestServer.READER, "#/runs/" + demoRun + "/stages/final/executions/1");
    visible(By.cssSelector("#failing-issues a.deep-link")).click();
    waiting().until(ExpectedConditions.urlContains("generation=1&lines=13-14"));
    visible(By.id("preview"));
    List<WebElement> lit = driver.findElements(By.cssSelector("#preview .ln.hl"));
    assertThat(lit).extracting(e -> e.getAttribute("data-line")).containsExactly("13", "14");
    assertThat(lit.get(1).getText()).startsWith("14").contains("[setup notes](./setup.md)");
    assertThat(driver.findElement(By.cssSelector("main .title-row")).getText())
        .contains("generation 1 of 2");
    assertThat(inViewport(lit.get(0))).isTrue();
    shot("05-deep-link");

    // the second generation no longer has the broken link
    driver.findElement(By.linkText("@2")).click();
    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("main .title-row"), "generation 2 of 2"));
    assertThat(driver.findElement(By.id("preview")).getText()).doesNotContain("setup.md");
  }

  @Test
  @Order(4)
  void aLargeTextLoadsOnlyTheVisibleSliceAndAnOversizedLineOrABinaryIsOfferedAsADownload() {
    open(TestServer.READER, "#/artifact/" + bigRun + "/phase1/big.txt?lines=2500-2502");
    List<WebElement> lit =
        waiting()
            .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#preview .ln.hl"), 3));
    assertThat(lit.get(0).getText()).contains("line 2500 b");
    int shown = driver.findElements(By.cssSelector("#preview .ln")).size();
    assertThat(shown).isLessThan(500);
    assertThat(inViewport(lit.get(0))).isTrue();
    // content is only ever read a slice at a time (HEADs give each generation's hash and size)
    List<String> reads =
        browser.requests().stream()
            .filter(r -> r.startsWith("GET ") && r.contains("/phase1/big.txt"))
            .toList();
    assertThat(reads).isNotEmpty().allMatch(r -> r.contains("lines="));

    driver.findElement(By.id("load-more")).click();
    waiting().until(d -> d.findElements(By.cssSelector("#preview .ln")).size() > shown);

    open(TestServer.READER, "#/artifact/" + bigRun + "/phase1/wide.txt");
    assertThat(visible(By.id("preview-too-large")).getText())
        .contains("larger than the server's preview limit");
    assertThat(driver.findElement(By.id("download")).isDisplayed()).isTrue();

    open(TestServer.READER, "#/artifact/" + demoRun + "/phase1/assets/diagram.png");
    assertThat(visible(By.id("binary-note")).getText()).contains("image/png", "not text");
    assertThat(driver.findElements(By.cssSelector("main img, main iframe, main object"))).isEmpty();
    assertThat(driver.findElements(By.id("preview"))).isEmpty();
    driver.findElement(By.id("download")).click();
    waiting()
        .until(
            d ->
                browser.requestedUrls().stream()
                    .anyMatch(u -> u.contains("diagram.png?generation=1")));
  }

  @Test
  @Order(5)
  void aDiffShowsTheUnifiedDiffAndAnOmittedDiffAsSuch() {
    open(TestServer.READER, "#/runs/" + demoRun + "/diff?from=phase1@1&to=phase1@2");
    h1("Diff phase1@1 → phase1@2");
    WebElement guide = visible(By.cssSelector("#changes .change[data-key='guide.md']"));
    assertThat(guide.getText()).contains("MODIFIED");
    assertThat(guide.findElements(By.cssSelector(".dl-del")))
        .anyMatch(e -> e.getText().contains("./setup.md"));
    assertThat(guide.findElements(By.cssSelector(".dl-add")))
        .anyMatch(e -> e.getText().contains("### The configuration file"));
    shot("06-diff");

    open(TestServer.READER, "#/runs/" + demoRun + "/diff?from=final@1&to=final@2");
    assertThat(visible(By.id("fixed-issues")).getText())
        .contains("link-target", "heading-order", "line-length");
    assertThat(driver.findElement(By.id("persisting-issues")).getText())
        .contains("code-fence-language");

    open(TestServer.READER, "#/runs/" + bigRun + "/diff?from=phase1@1&to=phase1@2");
    WebElement big = visible(By.cssSelector("#changes .change[data-key='big.txt']"));
    assertThat(big.getText()).contains("MODIFIED", "diff omitted: too-large");
    assertThat(big.findElements(By.cssSelector("pre.diff"))).isEmpty();
  }

  @Test
  @Order(6)
  void theBundlePageShowsTheVerifiedBundleItsEntriesAndItsProof() {
    open(TestServer.READER, "#/runs/" + demoRun + "/bundle");
    h1("Bundle");
    assertThat(driver.findElement(By.cssSelector("main .title-row")).getText())
        .contains("VERIFIED");
    assertThat(driver.findElement(By.id("verify-result")).getText()).contains("every entry equal");
    assertThat(rows("#entries"))
        .extracting(r -> r.findElement(By.tagName("td")).getText())
        .containsExactly("README.md", "api.md", "guide.md", "index.md");
    assertThat(driver.findElement(By.id("entries")).getText())
        .contains("phase1/guide.md @2", "sha256:");
    WebElement attestation = driver.findElement(By.id("attestation"));
    // the attestation routes are served: the envelope, the key and the offline command
    assertThat(attestation.findElements(By.id("no-attestation"))).isEmpty();
    assertThat(driver.findElement(By.id("offline-command")).getText())
        .isEqualTo(
            "docsgen verify --offline docsgen-documentation-bundle.zip --attestation"
                + " docsgen-documentation-bundle.intoto.jsonl --public-key docsgen-signing-key.pem");
    assertThat(driver.findElement(By.id("keyid")).getText()).matches("[0-9a-f]{64}");
    assertThat(attestation.getText())
        .contains(
            "https://in-toto.io/Statement/v1", "urn:docsgen:bundle-attestation:v1", "ed25519");
    assertThat(driver.findElement(By.id("download-key")).isDisplayed()).isTrue();
    shot("07-bundle");
  }

  @Test
  @Order(7)
  void aReaderIsRefusedAWriteTheViewDoesNotOffer() {
    open(TestServer.READER, "#/runs/" + demoRun + "/approve");
    assertThat(visible(By.id("refusal")).getText())
        .contains("Not available: this view is read-only", "no \"approve\" action");
    shot("08-refusal");

    // the page's origin holds no write power of its own: the reader's token is refused by the API
    Object answer =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch('/api/runs/"
                    + demoRun
                    + "/approvals', {method: 'POST', headers: {'Content-Type':"
                    + " 'application/json', Authorization: 'Bearer ' +"
                    + " sessionStorage.getItem('docsgen.token')}, body: JSON.stringify({stage:"
                    + " 'final', decision: 'REVOKED'})})"
                    + ".then(r => r.json().then(p => done(r.status + ' ' + p.detail)));");
    assertThat(String.valueOf(answer)).startsWith("403 ").contains("needs approver or admin");
  }

  @Test
  @Order(8)
  void walkingEveryPageSendsOnlyReadsAndOffersNoWriteControl() {
    open(TestServer.READER, "#/runs");
    js(
        "window.__methods = [];"
            + "const real = window.fetch;"
            + "window.fetch = (u, o) => { window.__methods.push((o && o.method) || 'GET');"
            + " return real(u, o); };");
    List<String> pages =
        List.of(
            "#/runs",
            "#/runs/" + demoRun,
            "#/runs/" + demoRun + "/stages/final/executions/1",
            "#/runs/" + demoRun + "/stages/final/gate",
            "#/runs/" + demoRun + "/artifacts?stage=phase1",
            "#/artifact/" + demoRun + "/phase1/guide.md?generation=1&lines=18-18",
            "#/runs/" + demoRun + "/issues?severity=ERROR",
            "#/runs/" + demoRun + "/diff?from=phase1@1&to=phase1@2",
            "#/runs/" + demoRun + "/bundle");
    for (String page : pages) {
      js("location.hash = arguments[0];", page);
      waiting()
          .until(
              d ->
                  d.findElements(By.cssSelector("main .loading")).isEmpty()
                      && !d.findElements(By.cssSelector("main h1")).isEmpty());
      assertThat(driver.findElements(By.cssSelector("main .alert"))).as(page).isEmpty();
      assertThat(driver.findElements(By.cssSelector("form[method='post' i], input[type=file]")))
          .as(page)
          .isEmpty();
    }
    @SuppressWarnings("unchecked")
    List<String> methods = (List<String>) js("return window.__methods;");
    assertThat(methods).isNotEmpty().allMatch(m -> m.equals("GET") || m.equals("HEAD"));
  }

  @Test
  @Order(9)
  void theKeyboardReachesAndFollowsLinks() {
    open(TestServer.READER, "#/runs/" + demoRun);
    h1(demoRun);
    WebElement active = null;
    for (int i = 0; i < 80; i++) {
      driver.switchTo().activeElement().sendKeys(Keys.TAB);
      active = driver.switchTo().activeElement();
      if ("final@1".equals(active.getText())) {
        break;
      }
    }
    assertThat(active.getText()).isEqualTo("final@1");
    assertThat(active.getCssValue("outline-style")).isEqualTo("solid");
    active.sendKeys(Keys.ENTER);
    h1("final@1");
  }

  @Test
  @Order(10)
  void pagesAreReadableFourHundredPixelsWide() {
    browser.size(400, 860);
    try {
      for (String page :
          List.of(
              "#/runs/" + demoRun,
              "#/runs/" + demoRun + "/stages/final/executions/1",
              "#/runs/" + demoRun + "/issues",
              "#/artifact/" + demoRun + "/phase1/guide.md?generation=1&lines=13-14",
              "#/runs/" + demoRun + "/bundle")) {
        open(TestServer.READER, page);
        long overflow =
            (Long) js("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow).as(page + " scrolls sideways").isLessThanOrEqualTo(0);
      }
      open(TestServer.READER, "#/runs/" + demoRun + "/stages/final/executions/1");
      shot("09-narrow-execution");
      open(TestServer.READER, "#/runs/" + demoRun + "/issues");
      shot("10-narrow-issues");
    } finally {
      browser.size(1280, 900);
    }
  }

  @Test
  @Order(11)
  void uiAnswersCarryAStrictCspAndNoRequestLeavesLoopback() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/ui/", "/ui/app.js", "/ui/app.css", "/ui/pages-runs.js")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertThat(csp)
          .as(path)
          .isEqualTo(UiRoutes.CSP)
          .contains(
              "default-src 'none'",
              "script-src 'self'",
              "style-src 'self'",
              "connect-src 'self'",
              "frame-ancestors 'none'",
              "base-uri 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval", "*");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      assertThat(r.body()).as(path).doesNotContain("<script>", " style=\"", "http://", "https://");
    }
    HttpResponse<String> outside =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/ui/..%2Fapplication.yaml")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(outside.statusCode()).isEqualTo(404);

    // every network request any test made went to this server (the browser's own chrome:// pages
    // and data: URLs of its start page are not network); the console saw no CSP violation
    String origin = base() + "/";
    List<String> network =
        browser.requestedUrls().stream()
            .filter(u -> !u.startsWith("chrome://") && !u.startsWith("chrome-untrusted://"))
            .filter(u -> !u.startsWith("data:") && !u.startsWith("about:"))
            .toList();
    assertThat(network)
        .isNotEmpty()
        .allMatch(u -> u.startsWith(origin) || u.startsWith("blob:" + base()), "same origin");
    assertThat(browser.consoleMessages())
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
  }

  private static List<WebElement> rows(String table) {
    return driver.findElements(By.cssSelector(table + " tbody tr"));
  }

  private static boolean inViewport(WebElement element) {
    return (Boolean)
        js(
            "const r = arguments[0].getBoundingClientRect();"
                + "const c = document.getElementById('preview').getBoundingClientRect();"
                + "return r.top >= Math.max(0, c.top) && r.bottom <= Math.min(window.innerHeight,"
                + " c.bottom);",
            element);
  }
}
