package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docsgen serve} starts the app-http server on 127.0.0.1, answers /health, then stops. */
class ServeTest {
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

  @TempDir Path dir;

  @Test
  void servesHealthUntilInterrupted() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env =
        Map.of("DOCSGEN_SERVER_PORT", "0", "DOCSGEN_SERVER_HOST", "127.0.0.1");
    AtomicInteger code = new AtomicInteger(-1);
    Thread server =
        new Thread(
            () ->
                code.set(
                    DocsGenCli.execute(
                        new String[] {"serve"},
                        env,
                        dir,
                        new ByteArrayInputStream(new byte[0]),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))),
            "docsgen-serve-test");
    server.start();
    try {
      String base = awaitUrl(out, server);
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/health"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("admin token");
    } finally {
      server.interrupt();
      server.join(Duration.ofSeconds(30).toMillis());
    }
    assertThat(server.isAlive()).isFalse();
    assertThat(code.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
  }

  @Test
  void serveDemoSeedsTheExampleRunOnceAndPrintsTheBrowserViewAddress() throws Exception {
    for (String expected : new String[] {" seeded", " already there"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Map<String, String> env =
          Map.of("DOCSGEN_SERVER_PORT", "0", "DOCSGEN_SERVER_HOST", "127.0.0.1");
      Thread server =
          new Thread(
              () ->
                  DocsGenCli.execute(
                      new String[] {"serve", "--demo"},
                      env,
                      dir,
                      new ByteArrayInputStream(new byte[0]),
                      new PrintStream(out, true, StandardCharsets.UTF_8),
                      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
              "docsgen-serve-demo-test");
      server.start();
      try {
        String base = awaitUrl(out, server);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed)
            .containsPattern("demo run run_\\d{4}_\\d{2}_\\d{2}_\\d{4}" + expected)
            .contains("browser view: " + base + "/ui/");
        Matcher token = Pattern.compile("admin token[^\\n]*\\n\\s+(\\S+)").matcher(printed);
        assertThat(token.find()).as(printed).isTrue();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ui =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/ui/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        HttpResponse<String> runs =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .header("Authorization", "Bearer " + token.group(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        // one demo run, however often the server starts with --demo
        assertThat(runs.body().split("\"runId\"", -1)).hasSize(2);
        assertThat(runs.body()).contains("\"createdBy\":\"docsgen-demo\"");
      } finally {
        server.interrupt();
        server.join(Duration.ofSeconds(30).toMillis());
      }
    }
  }

  private static String awaitUrl(ByteArrayOutputStream out, Thread server)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Matcher m = URL.matcher(out.toString(StandardCharsets.UTF_8));
      if (m.find()) {
        return m.group(1);
      }
      if (!server.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not start: " + out.toString(StandardCharsets.UTF_8));
  }
}
