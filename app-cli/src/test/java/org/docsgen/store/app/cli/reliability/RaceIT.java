package org.docsgen.store.app.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.app.cli.reliability.support.Cli;
import org.docsgen.store.app.cli.reliability.support.DocsgenServer;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.Ledger;
import org.docsgen.store.app.cli.reliability.support.Reliability;
import org.docsgen.store.app.cli.reliability.support.S3proxyProcess;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;
import org.docsgen.store.app.cli.reliability.support.Tally;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kind 3, race (issue 12): the server jar as processes, requests started together by a latch.
 *
 * <ul>
 *   <li>S3 + PostgreSQL with two instances over one PostgreSQL database and one s3proxy bucket
 *       (each request of a round goes to one instance or the other), and fs + SQLite with one
 *       instance.
 *   <li><b>create</b>: 64 concurrent creates of one fresh path (half with {@code If-None-Match: *})
 *       → exactly one 201, every other 409 (412 for the create-only ones); the stored bytes are the
 *       winner's, on every instance.
 *   <li><b>overwrite</b>: 32 concurrent overwrites carrying the same valid overwrite token →
 *       exactly one 201 (generation 2), the rest 409; generation 2 holds the winner's bytes,
 *       generation 1 is unchanged.
 *   <li><b>close</b>: a burst of uploads of new paths into a stage whose execution is finished (odd
 *       rounds: finished, then approved by the approver: an approval needs the stage's latest
 *       execution SUCCEEDED, so it can only land right after the finish, and what it can catch is
 *       an upload whose body is still streaming) while the uploads stream slowly. Every upload is
 *       either 201 or 409 with a documented problem type ({@code execution-finished}, {@code
 *       no-running-execution}, {@code immutable-policy} with code {@code stage-approved}), and the
 *       stage's listing (and its execution's artifacts) equals the set of 201 answers exactly, with
 *       the acknowledged hashes.
 * </ul>
 *
 * Afterwards every acknowledged version is read back through every instance (the client's {@link
 * Ledger}), and {@code fsck --deep} of the CLI jar exits 0.
 */
@Tag("reliability")
@Tag("reliability-race")
class RaceIT {
  private static final int CREATORS = 64;
  private static final int OVERWRITERS = 32;
  private static final int UPLOADERS = 24;
  private static final Set<String> CLOSED_TYPES =
      Set.of("execution-finished", "no-running-execution", "immutable-policy");
  private static final HttpClient STREAMING =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  @TempDir Path dir;

  @Test
  void twoInstancesOverOnePostgresqlAndOneBucket() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    try (S3proxyProcess s3 = S3proxyProcess.start(dir.resolve("s3"), "race")) {
      StoreConfig config =
          StoreConfig.s3Postgres(
              dir.resolve("conf"),
              s3,
              "race",
              PostgresFixture.newDatabase(),
              PostgresFixture.user(),
              PostgresFixture.password());
      try (DocsgenServer one = DocsgenServer.start(config, logs, "one");
          DocsgenServer two = DocsgenServer.start(config, logs, "two")) {
        race(config, List.of(one.http(), two.http()), logs);
      }
    }
  }

  @Test
  void oneInstanceOnFilesystemAndSqlite() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    StoreConfig config = StoreConfig.fsSqlite(dir.resolve("conf"), dir.resolve("data"));
    try (DocsgenServer server = DocsgenServer.start(config, logs, "fs")) {
      race(config, List.of(server.http()), logs);
    }
  }

  /** What one deployment's rounds saw. */
  private final Map<String, String> examples = new ConcurrentHashMap<>();

  private void race(StoreConfig config, List<Http> instances, Path logs) throws Exception {
    int rounds = Integer.getInteger("docsgen.race.rounds", Reliability.rounds(10, 100));
    Ledger ledger = new Ledger();
    Tally tally = new Tally();
    ExecutorService pool = Executors.newFixedThreadPool(CREATORS + 2);
    try {
      Http first = instances.get(0);
      String runId = first.createRun();
      first.startExecution(runId, "phase1");
      for (int round = 0; round < rounds; round++) {
        creates(pool, instances, runId, round, ledger, tally);
        overwrites(pool, instances, runId, round, ledger, tally);
        close(pool, instances, round, ledger, tally);
      }
    } finally {
      pool.shutdownNow();
    }

    List<String> checks = new ArrayList<>();
    for (Http http : instances) {
      Ledger.Check check = ledger.check(http::read);
      checks.add(http.base() + ": " + check);
      if (!check.clean()) {
        tally.fail("ledger via " + http.base(), check);
      }
    }
    Cli.Result fsck = Cli.fsckDeep(config);
    if (fsck.exit() != 0) {
      tally.fail("fsck --deep", fsck);
    }

    String counts = tally.countsTable();
    Reliability.report(
        "race",
        "Deployment: "
            + config.name()
            + ", "
            + instances.size()
            + " instance(s); "
            + rounds
            + " rounds of each scenario (create x"
            + CREATORS
            + ", overwrite x"
            + OVERWRITERS
            + ", close stage vs "
            + UPLOADERS
            + " uploads, finish and approval alternating)\n\n| count | n |\n|---|---|\n"
            + counts
            + "\nLedger: "
            + String.join("; ", checks)
            + "\n\nfsck --deep exit "
            + fsck.exit()
            + "\n\nExamples: "
            + examples
            + "\n\nFailures: "
            + (tally.failures.isEmpty() ? "none" : tally.failures.toString()));
    if (!tally.failures.isEmpty()) {
      keepLogs(logs, config);
    }
    assertThat(tally.failures).as("race on %s", config.name()).isEmpty();
  }

  // ---- scenario 1: 64 creates of one fresh path

  private void creates(
      ExecutorService pool,
      List<Http> instances,
      String runId,
      int round,
      Ledger ledger,
      Tally tally)
      throws Exception {
    String path = runId + "/phase1/create-" + round + ".bin";
    List<byte[]> bodies = bodies(CREATORS, round, 1024, 16 * 1024);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Http.Response>> answers = new ArrayList<>();
    for (int w = 0; w < CREATORS; w++) {
      Http http = instances.get(w % instances.size());
      byte[] body = bodies.get(w);
      boolean createOnly = w % 4 >= 2;
      answers.add(
          pool.submit(
              together(
                  go,
                  () ->
                      createOnly
                          ? http.put(path, "OTHER", body, "If-None-Match", "*")
                          : http.put(path, "OTHER", body))));
    }
    go.countDown();
    int winner = -1;
    int created = 0;
    for (int w = 0; w < CREATORS; w++) {
      tally.count("create requests");
      Http.Response r = answer(answers.get(w), tally, "create " + round + "/" + w);
      if (r == null) {
        continue;
      }
      int loser = w % 4 >= 2 ? 412 : 409;
      if (r.status() == 201) {
        created++;
        winner = w;
        tally.count("create 201");
        if (r.json().path("generation").asInt() != 1
            || !r.json().path("hash").asText().equals("sha256:" + Ledger.sha256(bodies.get(w)))) {
          tally.fail("create " + round + "/" + w + " answer", r);
        }
        ledger.acknowledged(path, 1, bodies.get(w));
      } else if (r.status() == loser) {
        tally.count("create " + loser);
      } else {
        tally.fail("create " + round + "/" + w, r);
      }
    }
    if (created != 1) {
      tally.fail("create " + round, created + " writers got 201");
      return;
    }
    tally.count("create rounds with exactly one 201");
    for (Http http : instances) {
      if (!Arrays.equals(http.read(path, 1).orElse(null), bodies.get(winner))) {
        tally.fail("create " + round + " read via " + http.base(), "not the winner's bytes");
      }
    }
  }

  // ---- scenario 2: 32 overwrites with the same token

  private void overwrites(
      ExecutorService pool,
      List<Http> instances,
      String runId,
      int round,
      Ledger ledger,
      Tally tally)
      throws Exception {
    String path = runId + "/phase1/overwrite-" + round + ".bin";
    byte[] original = bodies(1, 100_000 + round, 512, 4096).get(0);
    Http.expect(instances.get(0).put(path, "OTHER", original), 201);
    ledger.acknowledged(path, 1, original);
    String token = instances.get(round % instances.size()).overwriteToken(runId, path);
    List<byte[]> bodies = bodies(OVERWRITERS, 200_000 + round, 1024, 16 * 1024);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Http.Response>> answers = new ArrayList<>();
    for (int w = 0; w < OVERWRITERS; w++) {
      Http http = instances.get(w % instances.size());
      byte[] body = bodies.get(w);
      answers.add(
          pool.submit(
              together(go, () -> http.put(path, "OTHER", body, "X-Overwrite-Token", token))));
    }
    go.countDown();
    int winner = -1;
    int won = 0;
    for (int w = 0; w < OVERWRITERS; w++) {
      tally.count("overwrite requests");
      Http.Response r = answer(answers.get(w), tally, "overwrite " + round + "/" + w);
      if (r == null) {
        continue;
      }
      if (r.status() == 201) {
        won++;
        winner = w;
        tally.count("overwrite 201");
        if (r.json().path("generation").asInt() != 2) {
          tally.fail("overwrite " + round + "/" + w + " generation", r);
        }
        ledger.acknowledged(path, 2, bodies.get(w));
      } else if (r.status() == 409) {
        tally.count("overwrite 409");
      } else {
        tally.fail("overwrite " + round + "/" + w, r);
      }
    }
    if (won != 1) {
      tally.fail("overwrite " + round, won + " overwriters got 201");
      return;
    }
    tally.count("overwrite rounds with exactly one 201");
    for (Http http : instances) {
      if (!Arrays.equals(http.read(path, 2).orElse(null), bodies.get(winner))) {
        tally.fail("overwrite " + round + " gen 2 via " + http.base(), "not the winner's bytes");
      }
      if (!Arrays.equals(http.read(path, 1).orElse(null), original)) {
        tally.fail("overwrite " + round + " gen 1 via " + http.base(), "generation 1 changed");
      }
      if (http.read(path, 3).isPresent()) {
        tally.fail("overwrite " + round + " via " + http.base(), "a generation 3 exists");
      }
    }
  }

  // ---- scenario 3: closing a stage (finish, or finish + approval) against a burst of uploads

  private void close(
      ExecutorService pool, List<Http> instances, int round, Ledger ledger, Tally tally)
      throws Exception {
    boolean approval = round % 2 == 1;
    String scenario = approval ? "approval" : "finish";
    Http first = instances.get(0);
    String runId = first.createRun();
    int attempt = first.startExecution(runId, "phase1");
    Random random = new Random(300_000L + round);
    List<byte[]> bodies = bodies(UPLOADERS, 300_000 + round, 2048, 96 * 1024);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Http.Response>> answers = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int u = 0; u < UPLOADERS; u++) {
      Http http = instances.get(u % instances.size());
      String path = runId + "/phase1/upload-" + u + ".bin";
      paths.add(path);
      byte[] body = bodies.get(u);
      long startDelay = random.nextInt(40);
      long chunkDelay = random.nextInt(4);
      answers.add(
          pool.submit(
              together(
                  go,
                  () -> {
                    TimeUnit.MILLISECONDS.sleep(startDelay);
                    return slowPut(http.base(), path, body, chunkDelay);
                  })));
    }
    Http closer = instances.get(round % instances.size());
    long closeDelay = random.nextInt(60);
    Future<String> closed =
        pool.submit(
            together(
                go,
                () -> {
                  TimeUnit.MILLISECONDS.sleep(closeDelay);
                  closer.finishExecution(runId, "phase1", attempt, "SUCCEEDED");
                  if (approval) {
                    Http.Response r =
                        closer.postJson(
                            "/api/runs/" + runId + "/approvals",
                            StoreConfig.APPROVER,
                            Map.of("stage", "phase1", "decision", "APPROVED"));
                    Http.expect(r, 201);
                  }
                  return "closed";
                }));
    go.countDown();
    try {
      closed.get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      tally.fail(scenario + " " + round + " closing", e);
    }
    Map<String, String> acknowledged = new HashMap<>();
    for (int u = 0; u < UPLOADERS; u++) {
      tally.count(scenario + " uploads");
      String where = scenario + " " + round + "/" + u;
      Http.Response r;
      try {
        r = answers.get(u).get(5, TimeUnit.MINUTES);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException) {
          // the server answered before the body and closed the connection while the client was
          // still sending it: the client never saw the answer (see docs/reliability.md § Race).
          // Such an upload must not be indexed: the listing check below proves it is not.
          tally.count(scenario + " uploads without an answer (connection closed mid-body)");
          examples.putIfAbsent(scenario + " no answer", where + ": " + e.getCause());
        } else {
          tally.fail(where, e);
        }
        continue;
      } catch (Exception e) {
        tally.fail(where, e);
        continue;
      }
      if (r.status() == 201) {
        tally.count(scenario + " uploads 201");
        String hash = "sha256:" + Ledger.sha256(bodies.get(u));
        if (!r.json().path("hash").asText().equals(hash)) {
          tally.fail(where + " answer", r);
        }
        acknowledged.put(paths.get(u), hash);
        ledger.acknowledged(paths.get(u), 1, bodies.get(u));
      } else if (r.status() == 409) {
        String type = r.json().path("type").asText();
        String slug = type.substring(type.lastIndexOf('/') + 1);
        boolean documented =
            CLOSED_TYPES.contains(slug)
                && (!slug.equals("immutable-policy")
                    || approval && r.json().path("detail").asText().contains("stage-approved"));
        if (documented) {
          tally.count(scenario + " uploads 409 " + slug);
        } else {
          tally.fail(where, r);
        }
      } else {
        tally.fail(where, r);
      }
    }
    for (Http http : instances) {
      Map<String, String> listed = new HashMap<>();
      JsonNode page =
          Http.expect(
                  http.get(
                      "/api/runs/" + runId + "/artifacts?stage=phase1&limit=1000",
                      StoreConfig.READER),
                  200)
              .json();
      page.path("items").forEach(i -> listed.put(i.path("path").asText(), i.path("hash").asText()));
      if (!listed.equals(acknowledged)) {
        tally.fail(
            scenario + " " + round + " listing via " + http.base(),
            "listed " + listed.keySet() + " but acknowledged " + acknowledged.keySet());
      }
      Map<String, String> produced = new HashMap<>();
      Http.expect(
              http.get(
                  "/api/runs/" + runId + "/stages/phase1/executions/" + attempt,
                  StoreConfig.READER),
              200)
          .json()
          .path("artifacts")
          .forEach(i -> produced.put(i.path("path").asText(), i.path("hash").asText()));
      if (!produced.equals(acknowledged)) {
        tally.fail(
            scenario + " " + round + " execution via " + http.base(),
            "execution lists " + produced.keySet() + " but acknowledged " + acknowledged.keySet());
      }
    }
    tally.count(scenario + " rounds");
  }

  /**
   * A PUT whose body streams in 4 KiB chunks with {@code chunkDelayMillis} between them (chunked
   * transfer encoding), so that some uploads are still arriving when the stage closes.
   */
  private static Http.Response slowPut(URI base, String path, byte[] body, long chunkDelayMillis)
      throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/artifacts/" + path))
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Bearer " + StoreConfig.WRITER)
            .header("X-Artifact-Type", "OTHER")
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new Slow(body, chunkDelayMillis)))
            .build();
    try {
      HttpResponse<byte[]> r = STREAMING.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Http.Response(r.statusCode(), r.headers().map(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The body, 4 KiB per read, pausing between reads. */
  private static final class Slow extends InputStream {
    private final byte[] body;
    private final long pauseMillis;
    private int at;

    Slow(byte[] body, long pauseMillis) {
      this.body = body;
      this.pauseMillis = pauseMillis;
    }

    @Override
    public int read() {
      return at < body.length ? body[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (at >= body.length) {
        return -1;
      }
      if (at > 0 && pauseMillis > 0) {
        try {
          TimeUnit.MILLISECONDS.sleep(pauseMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      int n = Math.min(Math.min(len, 4096), body.length - at);
      System.arraycopy(body, at, b, off, n);
      at += n;
      return n;
    }
  }

  // ---- helpers

  /** Copies the servers' logs next to the report, where they outlive the temporary directory. */
  private static void keepLogs(Path logs, StoreConfig config) throws IOException {
    Path keep =
        Files.createDirectories(
            Path.of("target", "reliability", "race-logs", config.name().replace('+', '-')));
    try (var files = Files.list(logs)) {
      for (Path log : files.toList()) {
        Files.copy(
            log,
            keep.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static <T> Callable<T> together(CountDownLatch go, Callable<T> work) {
    return () -> {
      go.await();
      return work.call();
    };
  }

  /** The answer, or null after counting an I/O failure (none is expected: nothing is killed). */
  private static Http.Response answer(Future<Http.Response> future, Tally tally, String where)
      throws InterruptedException {
    try {
      return future.get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      tally.fail(where, e);
      return null;
    }
  }

  /** {@code n} distinct pseudo-random bodies of {@code min}..{@code max} bytes. */
  private static List<byte[]> bodies(int n, long seed, int min, int max) {
    Random random = new Random(seed);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] bytes = new byte[min + random.nextInt(max - min + 1)];
      random.nextBytes(bytes);
      bodies.add(bytes);
    }
    return bodies;
  }
}
