package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input, each answered with its precise 4xx while both stores stay provably unchanged: the
 * whole directory tree (artifact store, manifest, key) is listed before and after, the manifest is
 * read back through the API, and nothing appears outside the data root. A stage with a RUNNING
 * execution is open throughout, so a path that slipped through would be written.
 */
class HostileInputTest {
  private static final long MAX = 64 * 1024;

  @TempDir Path dir;
  private TestServer server;
  private Api api;
  private String runId;
  private Map<String, Long> treeBefore;
  private String manifestBefore;

  @BeforeEach
  void start() throws IOException {
    server = TestServer.embedded(dir, "  maxArtifactBytes: " + MAX + "\n");
    api = server.api();
    runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
    Api.expect(api.putText(WRITER, runId + "/phase1/docsgen.md", "DOCUMENTATION", "# ok\n"), 201);
    treeBefore = tree(dir);
    manifestBefore = manifest();
  }

  @AfterEach
  void stop() throws IOException {
    try {
      assertThat(tree(dir)).as("files under the test directory").isEqualTo(treeBefore);
      assertThat(manifest()).as("manifest through the API").isEqualTo(manifestBefore);
      try (Stream<Path> all = Files.walk(dir.getParent())) {
        assertThat(all.filter(p -> p.getFileName().toString().startsWith("evil")))
            .as("nothing written anywhere near the data root")
            .isEmpty();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void pathTraversalInEverySpellingIsRefused() throws IOException {
    String base = "/api/artifacts/" + runId + "/phase1/";
    // spellings the API itself refuses: 400 invalid-path
    List<String> ours =
        List.of(
            "../../../../evil.md",
            "sub/../evil.md",
            "%2e%2e/%2e%2e/evil.md",
            "%2E%2E/evil.md",
            ".%2e/evil.md",
            "..%2fevil.md",
            "a%2Fevil.md",
            "%5c..%5cevil.md",
            "..%5c..%5cevil.md",
            "evil%E2%80%A4md", // one dot leader
            "%EF%BC%8E%EF%BC%8E/evil.md", // fullwidth full stops
            "x%EF%BC%8Fevil.md", // fullwidth solidus
            "x%E2%88%95evil.md", // division slash
            "evil.md%20",
            "./evil.md",
            "evil//x.md",
            "x".repeat(600) + "/evil.md");
    List<String> failures = new ArrayList<>();
    for (String spelling : ours) {
      for (String method : List.of("PUT", "GET")) {
        Response r = raw(method, base + spelling);
        if (r.status() != 400 || !"invalid-path".equals(r.problem())) {
          failures.add(method + " " + spelling + " -> " + r);
        }
      }
    }
    // refused before the path reaches the routes (absolute, out of the run, odd encodings):
    // Jetty or the router answers, always a 4xx problem, never a write
    List<String> anyClientError =
        List.of(
            "/api/artifacts/%2e%2e/%2e%2e/%2e%2e/evil.md",
            "/api/artifacts//etc/evil",
            "/api/artifacts/../../evil.md",
            base + "..\\..\\evil.md",
            base + "evil%00.md",
            base + "%00",
            base + "%c0%ae%c0%ae/evil.md", // overlong UTF-8 for '.'
            base + "%e0%80%ae%e0%80%ae/evil.md",
            base + "%c0%af" + "evil.md", // overlong '/'
            base + "%ff%fe",
            base + "evil%zz.md",
            "/api/artifacts/" + "a/".repeat(5000) + "evil.md");
    for (String target : anyClientError) {
      for (String method : List.of("PUT", "GET", "DELETE")) {
        Response r = raw(method, target);
        // a problem document for every method: Jetty's own error page skipped PUT and DELETE
        if (r.status() < 400 || r.status() >= 500 || r.problem() == null) {
          failures.add(method + " " + target + " -> " + r + " " + r.headers().map());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void malformedPercentEscapesThatJettyLetsThroughAre400NotA500() throws IOException {
    String base = "/api/artifacts/" + runId + "/phase1/";
    List<String> failures = new ArrayList<>();
    for (String target :
        List.of(
            base + "%u002e",
            base + "a%u002e%u002e/evil.md",
            base + "evil%u002Emd",
            "/api/runs/%u0031/issues",
            "/api/runs/" + runId + "/stages/phase%u0031/executions")) {
      for (String method : List.of("PUT", "GET")) {
        Response r = raw(method, target);
        String kind = target.startsWith("/api/artifacts/") ? "invalid-path" : "invalid-parameter";
        if (r.status() != 400 || !kind.equals(r.problem())) {
          failures.add(method + " " + target + " -> " + r);
        }
      }
    }
    // a malformed escape in the query was dropped silently: ?limit=%zz answered a default page
    for (String query :
        List.of("/api/runs?limit=%zz", "/api/runs?limit=%u0031", "/api/runs?cursor=%")) {
      Response r = raw("GET", query);
      if (r.status() != 400 || !"invalid-parameter".equals(r.problem())) {
        failures.add("GET " + query + " -> " + r);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void invalidBodyProblemsNameJsonShapesNeverTheServersClasses() {
    String approvals = "/api/runs/" + runId + "/approvals";
    String issues = "/api/runs/" + runId + "/issues";
    List<Response> answers =
        List.of(
            api.postRaw(approvals, TestServer.APPROVER, "application/json", b("true")),
            api.postRaw("/api/runs/" + runId + "/bundle", WRITER, "application/json", b("[]")),
            api.postRaw("/api/runs", WRITER, "application/json", b("{\"coreFiles\": 5}")),
            api.postRaw("/api/runs", WRITER, "application/json", b("{\"coreFiles\": {}}")),
            // a null name was a NullPointerException in List.copyOf: 500 (hostile-input kind)
            api.postRaw("/api/runs", WRITER, "application/json", b("{\"coreFiles\": [null]}")),
            // numbers were coerced into the names "1" and "2": 201 (hostile-input kind, full run)
            api.postRaw("/api/runs", WRITER, "application/json", b("{\"coreFiles\": [1, 2]}")),
            api.postRaw(issues, WRITER, "application/json", b("{\"issues\": [null]}")),
            api.postRaw(
                "/api/runs/" + runId + "/stages/phase1/executions/1/finish",
                WRITER,
                "application/json",
                b("{\"status\": [\"SUCCEEDED\"]}")),
            api.postRaw(
                issues,
                WRITER,
                "application/json",
                b(
                    "{\"issues\": [{\"stage\": \"phase1\", \"attempt\": \"x\", \"file\": \""
                        + runId
                        + "/phase1/docsgen.md\", \"rule\": \"r\", \"severity\": \"ERROR\","
                        + " \"message\": \"m\", \"validator\": \"v\"}]}")));
    for (Response r : answers) {
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.problem()).as(r.toString()).isEqualTo("invalid-body");
      assertThat(r.json().path("detail").asText())
          .as(r.toString())
          .doesNotContain("org.docsgen", "java.", "`", "$", "Exception");
    }
    assertThat(answers.get(2).json().path("detail").asText())
        .startsWith("field 'coreFiles': expected an array");
  }

  @Test
  void malformedJsonWrongContentTypeAndUnknownFieldsAreRefused() {
    List<String> failures = new ArrayList<>();
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "application/json", b("{\"coreFiles\": [")),
        400,
        "invalid-body");
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "application/json", b("not json")),
        400,
        "invalid-body");
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "application/json", b("{} {}")),
        400,
        "invalid-body");
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "application/json", b("[]")),
        400,
        "invalid-body");
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "application/json", b("{\"actor\": \"mallory\"}")),
        400,
        "invalid-body");
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "application/json", b("{\"bundleReadme\": \"maybe\"}")),
        400,
        "invalid-body");
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "application/json", b("{\"coreFiles\": [\"../x.md\"]}")),
        400,
        "invalid-body");
    expect(
        failures,
        api.postRaw("/api/runs", WRITER, "text/plain", b("{}")),
        415,
        "unsupported-media-type");
    expect(
        failures, api.postRaw("/api/runs", WRITER, null, b("{}")), 415, "unsupported-media-type");
    String issues = "/api/runs/" + runId + "/issues";
    expect(
        failures,
        api.postRaw(issues, WRITER, "application/x-www-form-urlencoded", b("a=b")),
        415,
        "unsupported-media-type");
    expect(
        failures,
        api.postRaw(issues, WRITER, "application/json", b("{\"issues\": []}")),
        400,
        "invalid-body");
    expect(
        failures,
        api.post(
            issues,
            WRITER,
            Map.of(
                "issues",
                List.of(
                    Map.of(
                        "stage",
                        "phase1",
                        "attempt",
                        1,
                        "file",
                        runId + "/phase1/../x.md",
                        "rule",
                        "r",
                        "severity",
                        "ERROR",
                        "message",
                        "m",
                        "validator",
                        "v")))),
        400,
        "invalid-path");
    expect(
        failures,
        api.post(
            issues,
            WRITER,
            Map.of(
                "issues",
                List.of(
                    Map.of(
                        "stage",
                        "phase1",
                        "attempt",
                        1,
                        "file",
                        runId + "/phase1/docsgen.md",
                        "rule",
                        "r",
                        "severity",
                        "FATAL",
                        "message",
                        "m",
                        "validator",
                        "v")))),
        400,
        "invalid-body");
    String approvals = "/api/runs/" + runId + "/approvals";
    expect(
        failures,
        api.post(approvals, TestServer.APPROVER, Map.of("stage", "phase1", "decision", "MAYBE")),
        400,
        "invalid-body");
    expect(
        failures,
        api.post(
            approvals,
            TestServer.APPROVER,
            Map.of("stage", "phase1", "decision", "APPROVED", "actor", "someone-else")),
        400,
        "invalid-body");
    String finish = "/api/runs/" + runId + "/stages/phase1/executions/1/finish";
    expect(failures, api.post(finish, WRITER, Map.of("status", "RUNNING")), 400, "invalid-body");
    expect(
        failures,
        api.post(
            "/api/runs/" + runId + "/overwrite-tokens",
            WRITER,
            Map.of("path", "run_2001_01_01_0001/phase1/x.md")),
        400,
        "invalid-path");
    assertThat(failures).isEmpty();
  }

  @Test
  void badHeadersAndParametersAreRefused() {
    String path = "/api/artifacts/" + runId + "/phase1/evil.md";
    List<String> failures = new ArrayList<>();
    expect(
        failures,
        api.put(path, WRITER, b("x"), "X-Artifact-Type", "SCRIPT"),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.put(path, WRITER, b("x"), "X-Artifact-Type", "documentation"),
        400,
        "invalid-parameter");
    expect(failures, api.put(path, WRITER, b("x")), 400, "invalid-parameter");
    expect(
        failures,
        api.put(path, WRITER, b("x"), "X-Artifact-Type", "OTHER", "Content-Type", "not a type"),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.put(path, WRITER, b("x"), "X-Artifact-Type", "OTHER", "If-None-Match", "\"abc\""),
        400,
        "invalid-parameter");
    expect(
        failures, api.put(path, WRITER, b("x"), "X-Artifact-Type", "BUNDLE"), 409, "reserved-path");
    String doc = "/api/artifacts/" + runId + "/phase1/docsgen.md";
    for (String query :
        List.of(
            "?generation=0",
            "?generation=-1",
            "?generation=x",
            "?lines=5-2",
            "?lines=0-3",
            "?lines=a-b",
            "?lines=3")) {
      expect(failures, api.get(doc + query, READER), 400, "invalid-parameter");
    }
    for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten")) {
      expect(failures, api.get("/api/runs" + query, READER), 400, "invalid-parameter");
    }
    expect(failures, api.get("/api/runs/run_2026_13_01_0001", READER), 400, "invalid-parameter");
    expect(
        failures,
        api.get("/api/runs/" + runId + "/stages/phase01/executions", READER),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.get("/api/runs/" + runId + "/stages/phase1/executions/0", READER),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.get("/api/runs/" + runId + "/issues?severity=BAD", READER),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.get("/api/runs/" + runId + "/issues?attempt=1", READER),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.get("/api/runs/" + runId + "/issues?groupBy=rule", READER),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.get("/api/runs/" + runId + "/diff?from=phase1@1", READER),
        400,
        "invalid-parameter");
    expect(
        failures,
        api.get("/api/runs/" + runId + "/diff?from=phase1@x&to=phase1@1", READER),
        400,
        "invalid-parameter");
    assertThat(failures).isEmpty();
  }

  @Test
  void oversizedBodiesAreRefusedUpFrontAndWhileStreaming() {
    String path = "/api/artifacts/" + runId + "/phase1/evil.bin";
    byte[] big = new byte[(int) MAX + 1];
    Response declared = api.put(path, WRITER, big, "X-Artifact-Type", "OTHER");
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.problem()).isEqualTo("payload-too-large");
    Response streamed =
        api.send(
            api.request(path, WRITER, "X-Artifact-Type", "OTHER")
                .PUT(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[(int) MAX * 4])))
                .build());
    assertThat(streamed.status()).isEqualTo(413);
    assertThat(streamed.problem()).isEqualTo("payload-too-large");
    Response json =
        api.postRaw("/api/runs", WRITER, "application/json", new byte[17 * 1024 * 1024]);
    assertThat(json.status()).isEqualTo(413);
    // exactly the maximum is accepted, then removed from the expectation by a fresh snapshot
  }

  @Test
  void anUploadCutShortIsRefusedAndLeavesNothing() throws IOException {
    String head =
        "PUT /api/artifacts/"
            + runId
            + "/phase1/evil.part HTTP/1.1\r\nHost: t\r\n"
            + "Authorization: Bearer "
            + WRITER
            + "\r\nX-Artifact-Type: OTHER\r\n"
            + "Content-Length: 50000\r\n\r\n";
    Response r;
    try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(ISO_8859_1));
      out.write(new byte[20000]);
      out.flush();
      socket.shutdownOutput(); // the client goes away mid-body, on a keep-alive connection
      r = parse(socket.getInputStream());
    }
    // the body broke on the client's side: the same 400 as any unreadable body, never a 5xx
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.problem()).as(r.toString()).isEqualTo("invalid-body");
    assertThat(r.headers().firstValue("Connection")).as(r.toString()).contains("close");
    // the server notices the short body asynchronously; ask until the store is back to rest
    awaitQuiet();
    assertThat(api.get("/api/artifacts/" + runId + "/phase1/evil.part", READER).status())
        .isEqualTo(404);
  }

  @Test
  void anUploadShorterThanItsLengthIsAProblemWithoutTheServersClassNames() throws IOException {
    String head =
        "PUT /api/artifacts/"
            + runId
            + "/phase1/evil.part HTTP/1.1\r\nHost: t\r\n"
            + "Authorization: Bearer "
            + WRITER
            + "\r\nX-Artifact-Type: OTHER\r\n"
            + "Content-Length: 50000\r\nConnection: close\r\n\r\n";
    Response r;
    try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(ISO_8859_1));
      out.write(new byte[20000]);
      out.flush();
      socket.shutdownOutput(); // no more bytes will come, the connection stays open to answer
      r = parse(socket.getInputStream());
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.problem()).isEqualTo("invalid-body");
    assertThat(r.json().path("detail").asText()).doesNotContain("Exception");
    awaitQuiet();
  }

  /**
   * Waits (up to 10 s) until the directory tree is as it was before the test, and fails if it never
   * is: a refused upload must leave no staging file, folder or row behind.
   */
  private void awaitQuiet() throws IOException {
    for (int i = 0; i < 100 && !tree(dir).equals(treeBefore); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(tree(dir)).as("files under the test directory, once at rest").isEqualTo(treeBefore);
  }

  private static void expect(List<String> failures, Response r, int status, String problem) {
    if (r.status() != status || !problem.equals(r.problem())) {
      failures.add("expected " + status + " " + problem + " but got " + r);
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  /** Sends a request line as given (no client-side normalisation), with a small body. */
  private Response raw(String method, String target) throws IOException {
    String request =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
            + WRITER
            + "\r\nX-Artifact-Type: DOCUMENTATION\r\nContent-Type: text/markdown\r\n"
            + "Content-Length: 5\r\nConnection: close\r\n\r\nevil\n";
    try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      socket.getOutputStream().flush();
      return parse(socket.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws IOException {
    String all = new String(in.readAllBytes(), UTF_8);
    int end = all.indexOf("\r\n\r\n");
    String head = end < 0 ? all : all.substring(0, end);
    String body = end < 0 ? "" : all.substring(end + 4);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).strip(), List.of(lines[i].substring(colon + 1).strip()));
      }
    }
    return new Response(
        status, java.net.http.HttpHeaders.of(headers, (a, b) -> true), body.getBytes(UTF_8));
  }

  private String manifest() {
    return api.get("/api/runs", READER).text()
        + api.get("/api/runs/" + runId + "/artifacts", READER).text()
        + api.get("/api/runs/" + runId + "/stages/phase1/executions", READER).text()
        + api.get("/api/runs/" + runId + "/issues", READER).text()
        + api.get("/api/runs/" + runId + "/approvals", READER).text();
  }

  /** Every file under {@code root} with its size (SQLite's WAL and shared-memory files by name). */
  private static Map<String, Long> tree(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String name = root.relativize(p).toString();
        boolean sqliteSide = name.endsWith("-wal") || name.endsWith("-shm");
        files.put(name, Files.isRegularFile(p) && !sqliteSide ? Files.size(p) : -1L);
      }
    }
    return files;
  }
}
