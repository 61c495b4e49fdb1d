package org.docsgen.store.app.http.wiring;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARCHITECTURE.md § Health through the real server: an unauthenticated {@code GET /health} never
 * writes anything (the filesystem store's probe file appears at most once per probe interval,
 * however often the route is called), yet the route still turns DOWN within a few seconds when the
 * artifact root breaks and UP when it is back; a failed or successful write moves it at once.
 */
class HealthProbeTest {
  private static final int CALLS = 200;
  private static final String PROBE_PREFIX = "~health-";

  @TempDir Path dir;

  @Test
  void manyUnauthenticatedHealthCallsMakeNoStoreWrites() throws Exception {
    try (TestServer server = TestServer.embedded(dir);
        WatchService watch = FileSystems.getDefault().newWatchService()) {
      Path root = server.dataDir().resolve("artifacts");
      root.register(watch, ENTRY_CREATE);
      Api api = server.api();

      long started = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        Response health = api.get("/health", null);
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

      List<String> probes = createdProbeFiles(watch);
      long allowed = elapsed.toMillis() / StoreHealthMonitor.PROBE_INTERVAL.toMillis() + 1;
      assertThat(probes)
          .as(
              "probe files created during %d calls in %s (at most one per probe interval)",
              CALLS, elapsed)
          .hasSizeLessThanOrEqualTo((int) allowed);
    }
  }

  @Test
  void healthTurnsDownWhenTheRootBreaksAndUpWhenItIsBack() throws Exception {
    try (TestServer server = TestServer.embedded(dir)) {
      Api api = server.api();
      Path root = server.dataDir().resolve("artifacts");
      Path away = server.dataDir().resolve("artifacts-away");
      assertThat(api.get("/health", null).status()).isEqualTo(200);

      Files.move(root, away);
      JsonNode down = awaitHealth(api, 503);
      assertThat(down.path("status").asText()).isEqualTo("DOWN");
      assertThat(down.path("artifacts").path("status").asText()).isEqualTo("DOWN");
      assertThat(down.path("artifacts").path("backend").asText()).isEqualTo("fs");
      assertThat(down.path("manifest").path("status").asText()).isEqualTo("UP");

      Files.move(away, root);
      JsonNode up = awaitHealth(api, 200);
      assertThat(up.path("status").asText()).isEqualTo("UP");
      assertThat(up.path("artifacts").path("status").asText()).isEqualTo("UP");
    }
  }

  @Test
  void aFailedWriteTurnsHealthDownAtOnceAndASucceedingOneUp() throws Exception {
    try (TestServer server = TestServer.embedded(dir)) {
      Api api = server.api();
      String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
      api.start(WRITER, runId, "phase1");
      Path root = server.dataDir().resolve("artifacts");
      Path away = server.dataDir().resolve("artifacts-away");

      Files.move(root, away);
      Response failed = api.putText(WRITER, runId + "/phase1/a.md", "DOCUMENTATION", "a\n");
      assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
      Response down = api.get("/health", null);
      assertThat(down.status()).as("the failed write is reported at once").isEqualTo(503);
      assertThat(down.json().path("artifacts").path("status").asText()).isEqualTo("DOWN");

      Files.move(away, root);
      Api.expect(api.putText(WRITER, runId + "/phase1/a.md", "DOCUMENTATION", "a\n"), 201);
      Response up = api.get("/health", null);
      assertThat(up.status()).as("the succeeding write is reported at once").isEqualTo(200);
    }
  }

  /** Polls (the probe runs every few seconds) until {@code /health} answers {@code status}. */
  private static JsonNode awaitHealth(Api api, int status) throws InterruptedException {
    long deadline = System.nanoTime() + StoreHealthMonitor.PROBE_INTERVAL.multipliedBy(4).toNanos();
    Response last = api.get("/health", null);
    while (last.status() != status && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      last = api.get("/health", null);
    }
    assertThat(last.status())
        .as("/health within %s: %s", StoreHealthMonitor.PROBE_INTERVAL.multipliedBy(4), last)
        .isEqualTo(status);
    return last.json();
  }

  /** The probe files whose creation the watch saw, waiting briefly for late events. */
  private static List<String> createdProbeFiles(WatchService watch) throws InterruptedException {
    List<String> names = new ArrayList<>();
    WatchKey key;
    while ((key = watch.poll(500, TimeUnit.MILLISECONDS)) != null) {
      for (WatchEvent<?> event : key.pollEvents()) {
        assertThat(event.kind()).as("no event lost").isNotEqualTo(OVERFLOW);
        if (event.context() instanceof Path name && name.toString().startsWith(PROBE_PREFIX)) {
          names.add(name.toString());
        }
      }
      key.reset();
    }
    return names;
  }
}
