package org.docsgen.store.app.cli.reliability;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.docsgen.store.app.cli.reliability.support.Http;
import org.docsgen.store.app.cli.reliability.support.Ledger;
import org.docsgen.store.app.cli.reliability.support.StoreConfig;

/**
 * One of the soak's client connections: an orchestrator, a UI and an approver in one thread, on a
 * run of its own (so every answer is predictable and any other answer is an error). It writes new
 * paths and token overwrites into its running {@code phase1} execution, reads them back whole, by
 * range, by lines and conditionally, pages through the run's artifacts, records and queries issues,
 * diffs consecutive executions, asks for the gate, finishes executions (sometimes with an approval
 * and its revocation) and starts new ones, and now and then runs the final stage, bundles the run,
 * verifies the bundle and moves to a new run.
 *
 * <p>Contents are generated from a seed (text lines, so previews have lines to show), so a version
 * can be re-made for checking without keeping its bytes.
 */
final class SoakWorker implements Runnable {
  // route labels (the API's route, and the kind of request when one route serves several)
  static final String CREATE = "PUT /api/artifacts/{path} (create)";
  static final String OVERWRITE = "PUT /api/artifacts/{path} (token overwrite)";
  static final String READ = "GET /api/artifacts/{path}";
  static final String RANGE = "GET /api/artifacts/{path} (Range)";
  static final String LINES = "GET /api/artifacts/{path}?lines=";
  static final String NOT_MODIFIED = "GET /api/artifacts/{path} (If-None-Match)";
  static final String LIST = "GET /api/runs/{runId}/artifacts (cursor)";
  static final String TOKEN = "POST /api/runs/{runId}/overwrite-tokens";
  static final String RECORD_ISSUES = "POST /api/runs/{runId}/issues";
  static final String ISSUES_BY_FILE = "GET /api/runs/{runId}/issues?file=";
  static final String ISSUES_BY_SEVERITY = "GET /api/runs/{runId}/issues?groupBy=severity";
  static final String DIFF = "GET /api/runs/{runId}/diff";
  static final String GATE = "GET /api/runs/{runId}/stages/{stage}/gate";
  static final String EXECUTION = "GET …/stages/{stage}/executions/{attempt}";
  static final String EXECUTIONS = "GET …/stages/{stage}/executions";
  static final String FINISH = "POST …/stages/{stage}/executions/{attempt}/finish";
  static final String START = "POST …/stages/{stage}/executions";
  static final String DECIDE = "POST /api/runs/{runId}/approvals";
  static final String APPROVALS = "GET /api/runs/{runId}/approvals (cursor)";
  static final String CREATE_RUN = "POST /api/runs";
  static final String BUNDLE = "POST /api/runs/{runId}/bundle";
  static final String VERIFY = "GET /api/runs/{runId}/bundle/verify";

  private static final String[] SEVERITIES = {"ERROR", "WARNING", "INFO"};
  private static final String MARKDOWN = "text/markdown; charset=utf-8";

  /** One acknowledged version, as this client made it. */
  record Version(int generation, long seed, int target, String etag, int size) {}

  /** A path of the current run and its versions, oldest first. */
  static final class PathState {
    final String path;
    final List<Version> versions = new ArrayList<>();

    PathState(String path) {
      this.path = path;
    }

    Version latest() {
      return versions.get(versions.size() - 1);
    }
  }

  /** What all workers did, for the report. */
  static final class Totals {
    final AtomicLong created = new AtomicLong();
    final AtomicLong overwritten = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();
    final AtomicLong bytesReadChecked = new AtomicLong();
    final AtomicLong issues = new AtomicLong();
    final AtomicLong executionsFinished = new AtomicLong();
    final AtomicLong approvals = new AtomicLong();
    final AtomicLong bundles = new AtomicLong();
    final AtomicLong runs = new AtomicLong();
    final AtomicLong resets = new AtomicLong();
  }

  private final int id;
  private final Http http;
  private final Ledger ledger;
  private final SoakStats stats;
  private final Totals totals;
  private final long deadlineNanos;
  private final SplittableRandom random;

  private String runId;
  private int attempt; // the RUNNING attempt of phase1
  private final List<PathState> paths = new ArrayList<>();
  private final Map<String, Integer> issuesByFile = new HashMap<>();
  private long[] issuesOfAttempt = new long[3]; // ERROR, WARNING, INFO of phase1@attempt
  private int nextName;

  SoakWorker(
      int id,
      Http http,
      Ledger ledger,
      SoakStats stats,
      Totals totals,
      long deadlineNanos,
      long seed) {
    this.id = id;
    this.http = http;
    this.ledger = ledger;
    this.stats = stats;
    this.totals = totals;
    this.deadlineNanos = deadlineNanos;
    this.random = new SplittableRandom(seed);
  }

  @Override
  public void run() {
    while (System.nanoTime() < deadlineNanos) {
      if (runId == null) {
        if (!newRun()) {
          pause();
        }
        continue;
      }
      if (!step()) {
        runId = null; // after an unexpected answer, carry on from a fresh run
        totals.resets.incrementAndGet();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every route the soak calls, for the report and for checking each was exercised. */
  static final List<String> ROUTES =
      List.of(
          CREATE,
          OVERWRITE,
          READ,
          RANGE,
          LINES,
          NOT_MODIFIED,
          LIST,
          TOKEN,
          RECORD_ISSUES,
          ISSUES_BY_FILE,
          ISSUES_BY_SEVERITY,
          DIFF,
          GATE,
          EXECUTION,
          EXECUTIONS,
          FINISH,
          START,
          DECIDE,
          APPROVALS,
          CREATE_RUN,
          BUNDLE,
          VERIFY);

  private static final int OPERATIONS = 14;

  /** Operation weights, per mille, in the order of {@link #operation}. */
  private static final int[] WEIGHTS = {180, 70, 197, 100, 80, 80, 45, 60, 50, 35, 30, 40, 25, 8};

  private int steps;

  /**
   * One operation; false when the run's state is no longer known. A client's second operation is
   * chosen by its id (so every kind of operation runs early, whatever the load), later ones by
   * weight.
   */
  private boolean step() {
    if (paths.isEmpty()) {
      return create();
    }
    if (++steps == 1) {
      return switch (id % OPERATIONS) {
        case 8 -> recordIssues() && issuesByFile() && issuesBySeverity();
        case 9 -> finishAndStart() && diff();
        default -> operation(id % OPERATIONS);
      };
    }
    int r = random.nextInt(1000);
    for (int i = 0; i < WEIGHTS.length; i++) {
      if ((r -= WEIGHTS[i]) < 0) {
        return operation(i);
      }
    }
    return read();
  }

  private boolean operation(int index) {
    return switch (index) {
      case 0 -> create();
      case 1 -> overwrite();
      case 2 -> read();
      case 3 -> range();
      case 4 -> lines();
      case 5 -> notModified();
      case 6 -> list();
      case 7 -> recordIssues();
      case 8 -> random.nextBoolean() ? issuesByFile() : issuesBySeverity();
      case 9 -> diff();
      case 10 -> gate();
      case 11 -> random.nextBoolean() ? execution() : executions();
      case 12 -> finishAndStart();
      case 13 -> bundle();
      default -> throw new IllegalArgumentException("no operation " + index);
    };
  }

  // ---- requests: each expects one status; anything else is counted and ends the step

  private interface Request {
    Http.Response send() throws IOException;
  }

  private Http.Response call(String route, int expected, Request request) {
    long t0 = System.nanoTime();
    Http.Response response;
    try {
      response = request.send();
    } catch (IOException | RuntimeException e) {
      stats.unexpected(route, "io " + e.getClass().getSimpleName(), String.valueOf(e));
      return null;
    }
    stats.answered(route, System.nanoTime() - t0);
    if (response.status() != expected) {
      stats.unexpected(route, Integer.toString(response.status()), response.toString());
      return null;
    }
    return response;
  }

  private boolean mismatch(String route, String what) {
    stats.unexpected(route, "mismatch", runId + ": " + what);
    return false;
  }

  // ---- runs and executions

  private boolean newRun() {
    Http.Response run =
        call(
            CREATE_RUN,
            201,
            () ->
                http.postJson(
                    "/api/runs", StoreConfig.WRITER, Map.of("coreFiles", List.of("docsgen.md"))));
    if (run == null) {
      return false;
    }
    runId = run.json().path("runId").asText();
    totals.runs.incrementAndGet();
    paths.clear();
    issuesByFile.clear();
    attempt = 0;
    return start();
  }

  private String stage(String stage) {
    return "/api/runs/" + runId + "/stages/" + stage;
  }

  private boolean start() {
    Http.Response r =
        call(
            START,
            201,
            () -> http.postJson(stage("phase1") + "/executions", StoreConfig.WRITER, null));
    if (r == null) {
      return false;
    }
    int started = r.json().path("attempt").asInt();
    if (started != attempt + 1) {
      return mismatch(START, "started attempt " + started + " after " + attempt);
    }
    attempt = started;
    issuesOfAttempt = new long[3];
    return true;
  }

  private boolean finish(String stage, int attemptOf) {
    Http.Response r =
        call(
            FINISH,
            200,
            () ->
                http.postJson(
                    stage(stage) + "/executions/" + attemptOf + "/finish",
                    StoreConfig.WRITER,
                    Map.of("status", "SUCCEEDED")));
    if (r == null) {
      return false;
    }
    totals.executionsFinished.incrementAndGet();
    return r.json().path("status").asText().equals("SUCCEEDED")
        || mismatch(FINISH, "finished as " + r.json().path("status"));
  }

  /**
   * Finishes phase1's attempt, sometimes approves it (and revokes, to write again), starts next.
   */
  private boolean finishAndStart() {
    if (!finish("phase1", attempt)) {
      return false;
    }
    if (random.nextBoolean()) {
      if (!decide("APPROVED") || !approvals() || !decide("REVOKED")) {
        return false;
      }
    }
    return start();
  }

  private boolean decide(String decision) {
    Http.Response r =
        call(
            DECIDE,
            201,
            () ->
                http.postJson(
                    "/api/runs/" + runId + "/approvals",
                    StoreConfig.APPROVER,
                    Map.of("stage", "phase1", "decision", decision, "comment", "soak " + id)));
    if (r == null) {
      return false;
    }
    totals.approvals.incrementAndGet();
    return r.json().path("decision").asText().equals(decision)
        || mismatch(DECIDE, "recorded " + r.json().path("decision") + " for " + decision);
  }

  private boolean approvals() {
    int seen = 0;
    String cursor = null;
    do {
      String query = "?stage=phase1&limit=2" + (cursor == null ? "" : "&cursor=" + enc(cursor));
      Http.Response r =
          call(
              APPROVALS,
              200,
              () -> http.get("/api/runs/" + runId + "/approvals" + query, StoreConfig.READER));
      if (r == null) {
        return false;
      }
      seen += r.json().path("items").size();
      cursor = r.json().path("nextCursor").isNull() ? null : r.json().path("nextCursor").asText();
    } while (cursor != null);
    return seen >= 1 || mismatch(APPROVALS, "no approval listed after one was recorded");
  }

  private boolean execution() {
    Http.Response r =
        call(
            EXECUTION,
            200,
            () -> http.get(stage("phase1") + "/executions/" + attempt, StoreConfig.READER));
    if (r == null) {
      return false;
    }
    JsonNode json = r.json();
    JsonNode execution = json.has("execution") ? json.path("execution") : json;
    return execution.path("status").asText().equals("RUNNING")
        || mismatch(EXECUTION, "phase1@" + attempt + " is " + execution.path("status"));
  }

  private boolean executions() {
    Http.Response r =
        call(
            EXECUTIONS,
            200,
            () -> http.get(stage("phase1") + "/executions?limit=1000", StoreConfig.READER));
    if (r == null) {
      return false;
    }
    return r.json().path("items").size() == attempt
        || mismatch(
            EXECUTIONS, r.json().path("items").size() + " executions listed, " + attempt + " made");
  }

  private boolean gate() {
    return call(GATE, 200, () -> http.get(stage("phase1") + "/gate", StoreConfig.READER)) != null;
  }

  private boolean diff() {
    if (attempt < 2) {
      return gate();
    }
    int from = 1 + random.nextInt(attempt - 1);
    Http.Response r =
        call(
            DIFF,
            200,
            () ->
                http.get(
                    "/api/runs/" + runId + "/diff?from=phase1@" + from + "&to=phase1@" + attempt,
                    StoreConfig.READER));
    return r != null && (r.json().isObject() || mismatch(DIFF, "not a JSON object"));
  }

  /** The final stage, the bundle and its proof; then a new run. */
  private boolean bundle() {
    Http.Response started =
        call(
            START,
            201,
            () -> http.postJson(stage("final") + "/executions", StoreConfig.WRITER, null));
    if (started == null) {
      return false;
    }
    int finalAttempt = started.json().path("attempt").asInt();
    byte[] doc = SoakContent.text(random.nextLong(), 2_000 + random.nextInt(20_000));
    String path = runId + "/final/docsgen.md";
    Http.Response put =
        call(CREATE, 201, () -> put(path, "DOCUMENTATION", doc, "If-None-Match", "*"));
    if (put == null || !acknowledged(CREATE, path, 1, doc, put)) {
      return false;
    }
    if (!finish("final", finalAttempt)) {
      return false;
    }
    Http.Response gate =
        call(GATE, 200, () -> http.get(stage("final") + "/gate", StoreConfig.READER));
    if (gate == null) {
      return false;
    }
    Http.Response bundle =
        call(
            BUNDLE,
            201,
            () -> http.postJson("/api/runs/" + runId + "/bundle", StoreConfig.WRITER, null));
    if (bundle == null) {
      return false;
    }
    Http.Response verify =
        call(
            VERIFY,
            200,
            () -> http.get("/api/runs/" + runId + "/bundle/verify", StoreConfig.READER));
    if (verify == null) {
      return false;
    }
    if (!verify.json().path("valid").asBoolean(false)) {
      return mismatch(VERIFY, "bundle not valid: " + verify.json().path("problems"));
    }
    totals.bundles.incrementAndGet();
    runId = null; // the run is bundled: nothing in it may be written any more
    return newRun();
  }

  // ---- writes

  private int sizeTarget() {
    int r = random.nextInt(100);
    if (r < 60) {
      return 200 + random.nextInt(4_000);
    }
    if (r < 90) {
      return 4_096 + random.nextInt(60_000);
    }
    if (r < 99) {
      return 65_536 + random.nextInt(450_000);
    }
    return 1_048_576 + random.nextInt(1_048_576);
  }

  private boolean create() {
    String path = runId + "/phase1/sec" + (nextName % 7) + "/doc-" + id + "-" + nextName++ + ".md";
    long seed = random.nextLong();
    int target = sizeTarget();
    byte[] body = SoakContent.text(seed, target);
    Http.Response r =
        call(CREATE, 201, () -> put(path, "DOCUMENTATION", body, "If-None-Match", "*"));
    if (r == null || !acknowledged(CREATE, path, 1, body, r)) {
      return false;
    }
    PathState state = new PathState(path);
    state.versions.add(new Version(1, seed, target, r.header("ETag").orElse(""), body.length));
    paths.add(state);
    totals.created.incrementAndGet();
    totals.bytesWritten.addAndGet(body.length);
    return true;
  }

  private boolean overwrite() {
    PathState state = paths.get(random.nextInt(paths.size()));
    Version current = state.latest();
    Http.Response token =
        call(
            TOKEN,
            200,
            () ->
                http.postJson(
                    "/api/runs/" + runId + "/overwrite-tokens",
                    StoreConfig.WRITER,
                    Map.of("path", state.path)));
    if (token == null) {
      return false;
    }
    if (token.json().path("generation").asInt() != current.generation()) {
      return mismatch(
          TOKEN,
          state.path
              + " token for generation "
              + token.json().path("generation")
              + ", latest is "
              + current.generation());
    }
    long seed = random.nextLong();
    int target = sizeTarget();
    byte[] body = SoakContent.text(seed, target);
    int generation = current.generation() + 1;
    String value = token.json().path("token").asText();
    Http.Response r =
        call(
            OVERWRITE,
            201,
            () -> put(state.path, "DOCUMENTATION", body, "X-Overwrite-Token", value));
    if (r == null || !acknowledged(OVERWRITE, state.path, generation, body, r)) {
      return false;
    }
    state.versions.add(
        new Version(generation, seed, target, r.header("ETag").orElse(""), body.length));
    totals.overwritten.incrementAndGet();
    totals.bytesWritten.addAndGet(body.length);
    return true;
  }

  /** A PUT of markdown text ({@code headers} after the type and media type). */
  private Http.Response put(String path, String type, byte[] body, String... headers)
      throws IOException {
    String[] all = new String[headers.length + 4];
    all[0] = "X-Artifact-Type";
    all[1] = type;
    all[2] = "Content-Type";
    all[3] = MARKDOWN;
    System.arraycopy(headers, 0, all, 4, headers.length);
    return http.send("PUT", "/api/artifacts/" + path, StoreConfig.WRITER, body, all);
  }

  /** Records the acknowledged write in the ledger once its answer says what was sent. */
  private boolean acknowledged(
      String route, String path, int generation, byte[] body, Http.Response r) {
    JsonNode json = r.json();
    String hash = "sha256:" + Ledger.sha256(body);
    if (json.path("generation").asInt() != generation
        || !json.path("hash").asText().equals(hash)
        || json.path("size").asLong() != body.length) {
      return mismatch(
          route,
          path + " acknowledged as " + json + ", sent generation " + generation + " " + hash);
    }
    ledger.acknowledged(path, generation, body);
    return true;
  }

  // ---- reads

  private record Pick(PathState path, Version version, byte[] content) {}

  private Pick pick() {
    PathState state = paths.get(random.nextInt(paths.size()));
    Version version = state.versions.get(random.nextInt(state.versions.size()));
    return new Pick(state, version, SoakContent.text(version.seed(), version.target()));
  }

  private String versionUrl(Pick p) {
    return "/api/artifacts/" + p.path().path + "?generation=" + p.version().generation();
  }

  private boolean read() {
    Pick p = pick();
    Http.Response r = call(READ, 200, () -> http.get(versionUrl(p), StoreConfig.READER));
    if (r == null) {
      return false;
    }
    if (!Arrays.equals(r.body(), p.content())) {
      return mismatch(READ, p.path().path + "@" + p.version().generation() + " bytes differ");
    }
    totals.bytesReadChecked.addAndGet(r.body().length);
    return true;
  }

  private boolean range() {
    Pick p = pick();
    int size = p.content().length;
    int first;
    int last;
    String header;
    if (random.nextInt(4) == 0) {
      int suffix = 1 + random.nextInt(Math.min(size, 8_192));
      first = size - suffix;
      last = size - 1;
      header = "bytes=-" + suffix;
    } else {
      first = random.nextInt(size);
      last = Math.min(size - 1, first + random.nextInt(65_536));
      header = "bytes=" + first + "-" + last;
    }
    Http.Response r =
        call(
            RANGE,
            206,
            () -> http.send("GET", versionUrl(p), StoreConfig.READER, null, "Range", header));
    if (r == null) {
      return false;
    }
    byte[] expected = Arrays.copyOfRange(p.content(), first, last + 1);
    String contentRange = "bytes " + first + "-" + last + "/" + size;
    if (!Arrays.equals(r.body(), expected)
        || !r.header("Content-Range").orElse("").equals(contentRange)) {
      return mismatch(
          RANGE,
          p.path().path
              + " "
              + header
              + ": "
              + r.body().length
              + " bytes, Content-Range "
              + r.header("Content-Range").orElse("none")
              + ", expected "
              + contentRange);
    }
    totals.bytesReadChecked.addAndGet(r.body().length);
    return true;
  }

  private boolean lines() {
    Pick p = pick();
    int[] starts = SoakContent.lineStarts(p.content());
    int count = starts.length - 1;
    int first = 1 + random.nextInt(count);
    int last = first + random.nextInt(60);
    Http.Response r =
        call(
            LINES,
            200,
            () -> http.get(versionUrl(p) + "&lines=" + first + "-" + last, StoreConfig.READER));
    if (r == null) {
      return false;
    }
    int end = Math.min(last, count);
    byte[] expected = Arrays.copyOfRange(p.content(), starts[first - 1], starts[end]);
    if (!Arrays.equals(r.body(), expected)) {
      return mismatch(
          LINES, p.path().path + " lines " + first + "-" + last + " differ (" + count + " lines)");
    }
    return true;
  }

  private boolean notModified() {
    PathState state = paths.get(random.nextInt(paths.size()));
    String etag = state.latest().etag();
    Http.Response r =
        call(
            NOT_MODIFIED,
            304,
            () ->
                http.send(
                    "GET",
                    "/api/artifacts/" + state.path,
                    StoreConfig.READER,
                    null,
                    "If-None-Match",
                    etag));
    return r != null && (r.body().length == 0 || mismatch(NOT_MODIFIED, "304 with a body"));
  }

  private boolean list() {
    int limit = 1 + random.nextInt(20);
    int seen = 0;
    String cursor = null;
    Map<String, Integer> latest = new HashMap<>();
    paths.forEach(s -> latest.put(s.path, s.latest().generation()));
    do {
      String query =
          "?stage=phase1&limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
      Http.Response r =
          call(
              LIST,
              200,
              () -> http.get("/api/runs/" + runId + "/artifacts" + query, StoreConfig.READER));
      if (r == null) {
        return false;
      }
      for (JsonNode item : r.json().path("items")) {
        Integer generation = latest.get(item.path("path").asText());
        if (generation == null || generation != item.path("generation").asInt()) {
          return mismatch(
              LIST, "listed " + item.path("path") + "@" + item.path("generation") + " not made");
        }
        seen++;
      }
      cursor = r.json().path("nextCursor").isNull() ? null : r.json().path("nextCursor").asText();
    } while (cursor != null);
    return seen == paths.size()
        || mismatch(LIST, seen + " artifacts listed, " + paths.size() + " written");
  }

  // ---- issues

  private boolean recordIssues() {
    int n = 1 + random.nextInt(3);
    List<Map<String, Object>> issues = new ArrayList<>();
    int[] severities = new int[n];
    List<String> files = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PathState state = paths.get(random.nextInt(paths.size()));
      severities[i] = random.nextInt(3);
      files.add(state.path);
      Map<String, Object> issue = new HashMap<>();
      issue.put("stage", "phase1");
      issue.put("attempt", attempt);
      issue.put("file", state.path);
      issue.put("rule", "soak-rule-" + random.nextInt(12));
      issue.put("severity", SEVERITIES[severities[i]]);
      issue.put("message", "soak issue " + random.nextInt(1_000_000));
      issue.put("location", Map.of("line", 1 + random.nextInt(40), "column", 1));
      issue.put("validator", "soak");
      issues.add(issue);
    }
    Http.Response r =
        call(
            RECORD_ISSUES,
            201,
            () ->
                http.postJson(
                    "/api/runs/" + runId + "/issues",
                    StoreConfig.WRITER,
                    Map.of("issues", issues)));
    if (r == null) {
      return false;
    }
    if (r.json().path("items").size() != n) {
      return mismatch(RECORD_ISSUES, r.json().path("items").size() + " recorded of " + n);
    }
    for (int i = 0; i < n; i++) {
      issuesOfAttempt[severities[i]]++;
      issuesByFile.merge(files.get(i), 1, Integer::sum);
    }
    totals.issues.addAndGet(n);
    return true;
  }

  private boolean issuesByFile() {
    PathState state = paths.get(random.nextInt(paths.size()));
    int expected = issuesByFile.getOrDefault(state.path, 0);
    if (expected > 1000) {
      return issuesBySeverity();
    }
    Http.Response r =
        call(
            ISSUES_BY_FILE,
            200,
            () ->
                http.get(
                    "/api/runs/" + runId + "/issues?limit=1000&file=" + enc(state.path),
                    StoreConfig.READER));
    if (r == null) {
      return false;
    }
    return r.json().path("items").size() == expected
        || mismatch(
            ISSUES_BY_FILE,
            state.path + ": " + r.json().path("items").size() + " issues, " + expected + " made");
  }

  private boolean issuesBySeverity() {
    Http.Response r =
        call(
            ISSUES_BY_SEVERITY,
            200,
            () ->
                http.get(
                    "/api/runs/"
                        + runId
                        + "/issues?stage=phase1&attempt="
                        + attempt
                        + "&groupBy=severity",
                    StoreConfig.READER));
    if (r == null) {
      return false;
    }
    JsonNode counts = r.json().path("counts");
    for (int i = 0; i < 3; i++) {
      if (counts.path(SEVERITIES[i]).asLong(-1) != issuesOfAttempt[i]) {
        return mismatch(
            ISSUES_BY_SEVERITY,
            "phase1@"
                + attempt
                + " counts "
                + counts
                + ", made "
                + Arrays.toString(issuesOfAttempt));
      }
    }
    return true;
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, UTF_8);
  }
}
