package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.docsgen.store.adapters.s3.testing.S3ServerFixture;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.Backends;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server instances over one PostgreSQL and one S3 server (ARCHITECTURE.md § Scaling out): one
 * winner per path across instances, both instances serve the winner's bytes, tokens minted by one
 * are honoured by the other, and a stopped S3 server shows as DOWN and 503, never 500.
 */
class ScaleOutTest {
  private static final int ROUNDS = 50;
  private static final int WRITERS = 64;

  @TempDir static Path dir;
  private static S3ServerFixture s3;
  private static TestServer one;
  private static TestServer two;

  @BeforeAll
  static void start() {
    s3 = S3ServerFixture.startForTests();
    ServerConfig config = Backends.postgresAndS3(dir, s3);
    one = Backends.start(config, dir);
    two = Backends.start(config, dir);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {one, two, s3}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /**
   * s3proxy's conditional puts are not atomic, so several writers of a round can claim the
   * generation in S3; the manifest's unique (path, generation) key is the arbiter, and the indexed
   * content must be the winner everywhere: exactly one 201, every loser 409 (412 with {@code
   * If-None-Match: *}), the winner's identical retry 200 on either instance, reads on both
   * instances return the indexed bytes, and an overwrite token names the indexed hash and is
   * honoured by the other instance.
   */
  @Test
  void concurrentCreatesOfOnePathHaveExactlyOneWinnerAcrossInstances() throws Exception {
    Api a = one.api();
    Api b = two.api();
    String runId = a.createRun(WRITER, List.of("docsgen.md"), false);
    a.start(WRITER, runId, "phase1");
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    Map<String, String> failures = new TreeMap<>();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        String path = "/api/artifacts/" + runId + "/phase1/race-" + round + ".bin";
        List<byte[]> bodies = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          byte[] bytes = new byte[2048 + w];
          new Random(round * 1000L + w).nextBytes(bytes);
          bodies.add(bytes);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> results = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          Api api = w % 2 == 0 ? a : b;
          byte[] bytes = bodies.get(w);
          String[] headers =
              w % 4 < 2
                  ? new String[] {"X-Artifact-Type", "OTHER"}
                  : new String[] {"X-Artifact-Type", "OTHER", "If-None-Match", "*"};
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return api.put(path, WRITER, bytes, headers);
                  }));
        }
        go.countDown();
        int created = 0;
        int winner = -1;
        String winnerHash = null;
        for (int w = 0; w < WRITERS; w++) {
          Response r = results.get(w).get();
          int loserStatus = w % 4 < 2 ? 409 : 412;
          if (r.status() == 201) {
            created++;
            winner = w;
            winnerHash = r.json().path("hash").asText();
          } else if (r.status() != loserStatus) {
            failures.put("round " + round + " writer " + w, r.toString());
          }
        }
        if (created != 1) {
          failures.put("round " + round, created + " writers got 201");
          continue;
        }
        byte[] bytes = bodies.get(winner);
        for (Api api : List.of(a, b)) {
          Response retry = api.put(path, WRITER, bytes, "X-Artifact-Type", "OTHER");
          if (retry.status() != 200 || !retry.json().path("hash").asText().equals(winnerHash)) {
            failures.put("round " + round + " winner's retry via " + api.base(), retry.toString());
          }
          Response read = api.get(path, READER);
          if (read.status() != 200
              || !java.util.Arrays.equals(read.body(), bytes)
              || !sha256(read.body()).equals(winnerHash)) {
            failures.put("round " + round + " read via " + api.base(), read.status() + "");
          }
        }
        String logical = path.substring("/api/artifacts/".length());
        Response token =
            b.post("/api/runs/" + runId + "/overwrite-tokens", WRITER, Map.of("path", logical));
        if (token.status() != 200 || !token.json().path("hash").asText().equals(winnerHash)) {
          failures.put("round " + round + " token", token.toString());
          continue;
        }
        Response overwritten =
            a.put(
                path,
                WRITER,
                ("overwrite of round " + round).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "X-Artifact-Type",
                "OTHER",
                "X-Overwrite-Token",
                token.json().path("token").asText());
        if (overwritten.status() != 201) {
          failures.put("round " + round + " overwrite", overwritten.toString());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failures).isEmpty();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return "sha256:"
        + java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void anOverwriteTokenFromOneInstanceWorksOnTheOther() {
    Api a = one.api();
    Api b = two.api();
    String runId = a.createRun(WRITER, List.of("docsgen.md"), false);
    a.start(WRITER, runId, "phase2");
    String path = runId + "/phase2/shared.md";
    Api.expect(a.putText(WRITER, path, "DOCUMENTATION", "one\n"), 201);
    String token =
        a.post("/api/runs/" + runId + "/overwrite-tokens", WRITER, Map.of("path", path))
            .json()
            .path("token")
            .asText();
    Response overwritten =
        b.putText(WRITER, path, "DOCUMENTATION", "two\n", "X-Overwrite-Token", token);
    assertThat(overwritten.status()).as(overwritten.toString()).isEqualTo(201);
    assertThat(a.get("/api/artifacts/" + path, READER).text()).isEqualTo("two\n");
  }

  @Test
  void aStoppedS3ServerIsDownAnd503NeverA500() throws Exception {
    Api a = one.api();
    String runId = a.createRun(WRITER, List.of("docsgen.md"), false);
    a.start(WRITER, runId, "phase3");
    String path = runId + "/phase3/doc.md";
    Api.expect(a.putText(WRITER, path, "DOCUMENTATION", "up\n"), 201);
    s3.stop();
    try {
      Response read = a.get("/api/artifacts/" + path, READER);
      assertThat(read.status()).as(read.toString()).isEqualTo(503);
      assertThat(read.problem()).isEqualTo("backend-unavailable");
      assertThat(read.header("Retry-After")).isNotNull();
      Response write = a.putText(WRITER, runId + "/phase3/other.md", "DOCUMENTATION", "x\n");
      assertThat(write.status()).as(write.toString()).isEqualTo(503);
      // /health reads cached state: the failed requests above already reported the outage
      Response health = a.get("/health", null);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().path("status").asText()).isEqualTo("DOWN");
      assertThat(health.json().path("artifacts").path("status").asText()).isEqualTo("DOWN");
      assertThat(health.json().path("manifest").path("status").asText()).isEqualTo("UP");
    } finally {
      s3.start();
    }
    // the background probe (every few seconds) sees the endpoint back
    assertThat(awaitHealth(a, 200, Duration.ofSeconds(20))).isEqualTo(200);
    assertThat(a.get("/api/artifacts/" + path, READER).text()).isEqualTo("up\n");
  }

  private static int awaitHealth(Api api, int status, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    int seen = api.get("/health", null).status();
    while (seen != status && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      seen = api.get("/health", null).status();
    }
    return seen;
  }
}
