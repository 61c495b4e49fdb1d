package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.APPROVER;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.RawHttp;
import org.docsgen.store.app.http.testing.TestServer;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.in.FsckUseCases;
import org.docsgen.store.ports.service.DocsGenServices;
import org.docsgen.store.ports.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes decided where they commit (ARCHITECTURE.md § Immutability, "Decided where it commits"),
 * over a real server and raw sockets: a body still streaming when its execution finishes, its stage
 * is approved or its run is bundled is refused and never indexed (its bytes an orphan fsck
 * reports); guards that need no body (create-only on an existing path, an unusable or stale
 * overwrite token) are answered before the body, without {@code 100 Continue}; a token valid when
 * the request arrived does not expire mid-body. Subclasses supply the backends.
 */
abstract class WriteCommitContract {
  private static final int TIMEOUT_MILLIS = 20_000;

  @TempDir Path dir;
  protected TestServer server;
  protected Api api;
  protected MutableClock clock;
  private final Services services = new Services();

  /** The DocsGen services the server runs on, for fsck (a CLI verb, not an HTTP route). */
  static final class Services {
    @Inject DocsGenServices value;
  }

  /** A started server over this class's backends on {@code clock}, with {@code overrides}. */
  protected abstract TestServer startServer(Path dir, Clock clock, List<Module> overrides)
      throws Exception;

  /**
   * Returns once the server is streaming the body of the upload of {@code path} into its artifact
   * store (so the request's arrival checks are behind it), observed on the backend.
   */
  protected abstract void awaitStreaming(String path) throws Exception;

  /**
   * What each streamed upload's body starts with, before the text the case sends ("" unless a
   * subclass needs bodies of some size, e.g. past a store's threshold for another way of storing).
   */
  protected String streamedBodyPrefix() {
    return "";
  }

  /** Called before a streamed upload is sent (to note what the backend holds already). */
  protected void beforeUpload() throws Exception {}

  @BeforeEach
  void startIt() throws Exception {
    clock = new MutableClock(Instant.now());
    Module capture =
        new AbstractModule() {
          @Override
          protected void configure() {
            requestInjection(services);
          }
        };
    server = startServer(dir, clock, List.of(capture));
    api = server.api();
  }

  @AfterEach
  void stopIt() {
    if (server != null) {
      server.close();
    }
  }

  // ---- fixtures

  private String newRunWithPhase1Output() {
    String run = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, run, "phase1");
    Api.expect(api.putText(WRITER, run + "/phase1/a.md", "DOCUMENTATION", "a\n"), 201);
    return run;
  }

  /** Starts a chunked PUT of {@code path} and sends its first chunk; the rest is up to the test. */
  private RawHttp beginUpload(String path, String firstChunk) throws Exception {
    beforeUpload();
    RawHttp raw = RawHttp.connect(api.base(), TIMEOUT_MILLIS);
    raw.head(
        "PUT",
        "/api/artifacts/" + path,
        "Authorization",
        "Bearer " + WRITER,
        "X-Artifact-Type",
        "DOCUMENTATION",
        "Content-Type",
        "text/markdown; charset=utf-8",
        "Transfer-Encoding",
        "chunked");
    raw.chunk(streamedBodyPrefix() + firstChunk);
    awaitStreaming(path);
    return raw;
  }

  private static RawHttp.Reply complete(RawHttp raw, String lastChunk) throws IOException {
    raw.chunk(lastChunk).lastChunk();
    return raw.read();
  }

  private static JsonNode json(RawHttp.Reply reply) throws IOException {
    return Json.mapper().readTree(reply.body());
  }

  private void approve(String run, String stage) {
    Api.expect(
        api.post(
            "/api/runs/" + run + "/approvals",
            APPROVER,
            Map.of("stage", stage, "decision", "APPROVED")),
        201);
  }

  private List<String> listedPaths(String run) {
    List<String> paths = new ArrayList<>();
    api.get("/api/runs/" + run + "/artifacts?limit=1000", READER)
        .json()
        .path("items")
        .forEach(i -> paths.add(i.path("path").asText()));
    return paths;
  }

  /** The late upload left nothing indexed: not listed, not readable, and fsck finds its bytes. */
  private void assertNeverIndexed(String run, String path) {
    assertThat(listedPaths(run)).doesNotContain(path);
    assertThat(api.get("/api/artifacts/" + path, READER).status()).isEqualTo(404);
    FsckUseCases.FsckReport report =
        services.value.fsck(
            Optional.of(RunId.parse(run)), false, false, FsckUseCases.Progress.none());
    // an unindexed version is what fsck calls an orphan (kind "unindexed" before fsck learnt the
    // word "orphan"); it is never drift
    assertThat(report.findings())
        .filteredOn(f -> f.path().equals(path))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isIn("orphan", "unindexed");
              assertThat(f.generation()).isEqualTo(1);
            });
  }

  // ---- case 1: a late upload is refused where it commits

  @Test
  void aLateUploadIntoAStageApprovedMeanwhileIsRefusedAndNeverIndexed() throws Exception {
    String run = newRunWithPhase1Output();
    String late = run + "/phase1/late.md";

    RawHttp.Reply reply;
    try (RawHttp raw = beginUpload(late, "# la")) {
      api.finish(WRITER, run, "phase1", 1, "SUCCEEDED");
      approve(run, "phase1");
      reply = complete(raw, "te\n");
    }

    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
    JsonNode problem = json(reply);
    assertThat(problem.path("type").asText()).endsWith("/immutable-policy");
    assertThat(problem.path("layer").asText()).isEqualTo("policy");
    assertThat(problem.path("path").asText()).isEqualTo(late);
    assertThat(problem.path("detail").asText())
        .contains("stage-approved")
        .contains("when the write arrived in full");
    assertNeverIndexed(run, late);
    assertThat(listedPaths(run)).containsExactly(run + "/phase1/a.md");
  }

  @Test
  void aLateUploadWhoseExecutionFailedMeanwhileIsRefusedAndNeverIndexed() throws Exception {
    String run = newRunWithPhase1Output();
    String late = run + "/phase1/late.md";

    RawHttp.Reply reply;
    try (RawHttp raw = beginUpload(late, "# la")) {
      api.finish(WRITER, run, "phase1", 1, "FAILED");
      reply = complete(raw, "te\n");
    }

    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
    JsonNode problem = json(reply);
    assertThat(problem.path("type").asText()).endsWith("/execution-finished");
    assertThat(problem.path("code").asText()).isEqualTo("execution-finished");
    assertThat(problem.path("detail").asText()).contains(late).contains("FAILED");
    assertNeverIndexed(run, late);
    JsonNode execution = api.get("/api/runs/" + run + "/stages/phase1/executions/1", READER).json();
    assertThat(execution.path("artifacts").toString()).doesNotContain("late.md");

    // the refused bytes block nothing: the next attempt creates the path (create-only, even)
    clock.advance(Duration.ofSeconds(1));
    api.start(WRITER, run, "phase1");
    Response again =
        api.putText(WRITER, late, "DOCUMENTATION", "# rewritten\n", "If-None-Match", "*");
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    Response read = api.get("/api/artifacts/" + late, READER);
    assertThat(read.text()).isEqualTo("# rewritten\n");
    JsonNode second = api.get("/api/runs/" + run + "/stages/phase1/executions/2", READER).json();
    assertThat(second.path("artifacts").toString()).contains("late.md");
  }

  @Test
  void retryingARefusedLateUploadAfterItsExecutionFinishedNeverIndexesIt() throws Exception {
    String run = newRunWithPhase1Output();
    String late = run + "/phase1/late.md";
    try (RawHttp raw = beginUpload(late, "# la")) {
      api.finish(WRITER, run, "phase1", 1, "SUCCEEDED");
      assertThat(complete(raw, "te\n").status()).isEqualTo(409);
    }

    Response retry = api.putText(WRITER, late, "DOCUMENTATION", "# late\n");

    assertThat(retry.status()).as(retry.toString()).isEqualTo(409);
    assertNeverIndexed(run, late);
  }

  @Test
  void aLateUploadStillStreamingWhenTheRunIsBundledIsRefusedAndNeverIndexed() throws Exception {
    String run = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, run, "phase2");
    String late = run + "/phase2/late.md";

    RawHttp.Reply reply;
    try (RawHttp raw = beginUpload(late, "# la")) {
      api.start(WRITER, run, "final");
      Api.expect(api.putText(WRITER, run + "/final/docsgen.md", "DOCUMENTATION", "# d\n"), 201);
      api.finish(WRITER, run, "final", 1, "SUCCEEDED");
      Response bundle = api.post("/api/runs/" + run + "/bundle", WRITER, null);
      assertThat(bundle.status()).as(bundle.toString()).isEqualTo(201);
      reply = complete(raw, "te\n");
    }

    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
    JsonNode problem = json(reply);
    assertThat(problem.path("type").asText()).endsWith("/immutable-policy");
    assertThat(problem.path("detail").asText()).contains("run-bundled");
    assertNeverIndexed(run, late);
    JsonNode verify = api.get("/api/runs/" + run + "/bundle/verify", READER).json();
    assertThat(verify.path("valid").asBoolean()).as(verify.toString()).isTrue();
  }

  // ---- case 2: guards are answered before the body

  @Test
  void guardsThatNeedNoBodyAreAnsweredWithoutOneHundredContinue() throws Exception {
    String run = newRunWithPhase1Output();
    String a = run + "/phase1/a.md";
    String other = run + "/phase1/other.md";
    Api.expect(api.putText(WRITER, other, "DOCUMENTATION", "o\n"), 201);

    assertAnsweredWithoutContinue(a, 412, "precondition-failed", "If-None-Match", "*");
    assertAnsweredWithoutContinue(a, 409, "immutable-store", "X-Overwrite-Token", "v1.forged.x");
    assertAnsweredWithoutContinue(a, 409, "immutable-store", "X-Overwrite-Token", tokenFor(other));

    // the server does honour Expect: a write it will accept gets 100 Continue, then its answer
    try (RawHttp raw = RawHttp.connect(api.base(), TIMEOUT_MILLIS)) {
      raw.head(
          "PUT",
          "/api/artifacts/" + run + "/phase1/new.md",
          putHeaders("2", "Expect", "100-continue"));
      assertThat(raw.read().status()).isEqualTo(100);
      raw.body("n\n".getBytes());
      assertThat(raw.read().status()).isEqualTo(201);
    }
  }

  private void assertAnsweredWithoutContinue(
      String path, int status, String type, String header, String value) throws Exception {
    try (RawHttp raw = RawHttp.connect(api.base(), TIMEOUT_MILLIS)) {
      raw.head(
          "PUT",
          "/api/artifacts/" + path,
          putHeaders("5", "Expect", "100-continue", header, value));
      RawHttp.Reply reply = raw.read();
      assertThat(reply.status())
          .as("first response to %s: %s", header, reply.body())
          .isEqualTo(status);
      assertThat(json(reply).path("type").asText()).endsWith("/" + type);
    }
  }

  private static String[] putHeaders(String contentLength, String... more) {
    List<String> headers =
        new ArrayList<>(
            List.of(
                "Authorization",
                "Bearer " + WRITER,
                "X-Artifact-Type",
                "DOCUMENTATION",
                "Content-Type",
                "text/markdown",
                "Content-Length",
                contentLength));
    headers.addAll(List.of(more));
    return headers.toArray(String[]::new);
  }

  private String tokenFor(String path) {
    String run = path.substring(0, path.indexOf('/'));
    Response token =
        api.post("/api/runs/" + run + "/overwrite-tokens", WRITER, Map.of("path", path));
    Api.expect(token, 200);
    return token.json().path("token").asText();
  }

  @Test
  void refusedTokensAndCreateOnlyAreAnsweredWhileTheBodyIsStillOutstanding() throws Exception {
    String run = newRunWithPhase1Output();
    String a = run + "/phase1/a.md";
    String other = run + "/phase1/other.md";
    Api.expect(api.putText(WRITER, other, "DOCUMENTATION", "o\n"), 201);
    String stale = tokenFor(a);
    Response used = api.putText(WRITER, a, "DOCUMENTATION", "a2\n", "X-Overwrite-Token", stale);
    assertThat(used.status()).as(used.toString()).isEqualTo(201);

    assertAnsweredBeforeTheBody(a, 412, "If-None-Match", "*");
    assertAnsweredBeforeTheBody(a, 409, "X-Overwrite-Token", "v1.forged.x");
    assertAnsweredBeforeTheBody(a, 409, "X-Overwrite-Token", stale);
    assertAnsweredBeforeTheBody(a, 409, "X-Overwrite-Token", tokenFor(other));
    String expiring = tokenFor(a);
    clock.advance(Duration.ofMinutes(6));
    assertAnsweredBeforeTheBody(a, 409, "X-Overwrite-Token", expiring);

    // none of them wrote anything
    assertThat(api.get("/api/artifacts/" + a, READER).header("X-Artifact-Generation"))
        .isEqualTo("2");
  }

  /** Sends the head and 4 of 1000 promised body bytes; the answer must come before the rest. */
  private void assertAnsweredBeforeTheBody(String path, int status, String header, String value)
      throws Exception {
    try (RawHttp raw = RawHttp.connect(api.base(), TIMEOUT_MILLIS)) {
      raw.head("PUT", "/api/artifacts/" + path, putHeaders("1000", header, value));
      raw.body("part".getBytes());
      RawHttp.Reply reply = raw.read();
      assertThat(reply.status()).as("%s: %s", header, reply.body()).isEqualTo(status);
      assertThat(json(reply).path("path").asText()).isEqualTo(path);
    }
  }

  @Test
  void aTokenValidWhenTheUploadStartedDoesNotExpireMidBody() throws Exception {
    String run = newRunWithPhase1Output();
    String a = run + "/phase1/a.md";
    String token = tokenFor(a);

    RawHttp.Reply reply;
    beforeUpload();
    try (RawHttp raw = RawHttp.connect(api.base(), TIMEOUT_MILLIS)) {
      raw.head(
          "PUT",
          "/api/artifacts/" + a,
          "Authorization",
          "Bearer " + WRITER,
          "X-Artifact-Type",
          "DOCUMENTATION",
          "Content-Type",
          "text/markdown",
          "X-Overwrite-Token",
          token,
          "Transfer-Encoding",
          "chunked");
      raw.chunk(streamedBodyPrefix() + "slow ");
      awaitStreaming(a);
      clock.advance(Duration.ofMinutes(6)); // past the 5-minute TTL while the body streams
      reply = complete(raw, "second generation\n");
    }

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(json(reply).path("generation").asInt()).isEqualTo(2);
    assertThat(api.get("/api/artifacts/" + a, READER).text())
        .isEqualTo(streamedBodyPrefix() + "slow second generation\n");
    // consumed where it committed: the same token cannot be used again
    Response reuse = api.putText(WRITER, a, "DOCUMENTATION", "third\n", "X-Overwrite-Token", token);
    assertThat(reuse.status()).as(reuse.toString()).isEqualTo(409);
  }
}
