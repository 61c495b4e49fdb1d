package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile-safe reads over a real server, the same on every backend (issue 11): path length rules
 * are bad input before any backend sees the path, a line preview past {@code
 * server.maxPreviewBytes} is 413, and a diff past {@code diff.maxTextBytes} or the edit budget
 * leaves the entry MODIFIED with {@code diffOmitted: "too-large"}. Subclasses supply the backends,
 * with the default limits (1 MiB each).
 */
abstract class BoundedReadsContract {
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private TestServer server;
  private Api api;
  private String runId;

  /** A started server over this class's backends, with the four role tokens. */
  protected abstract TestServer startServer(Path dir) throws Exception;

  @BeforeEach
  void startIt() throws Exception {
    server = startServer(dir);
    api = server.api();
    runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
  }

  @AfterEach
  void stopIt() {
    if (server != null) {
      server.close();
    }
  }

  // ---- case 2: path length rules

  @Test
  void aSegmentOver255BytesIsAnInvalidPathNamingTheRule() {
    String base = runId + "/phase1/";
    for (String path :
        List.of(
            base + "a".repeat(300) + ".md",
            base + "a".repeat(300) + "/x.md",
            base + "b".repeat(256))) {
      for (Response r :
          List.of(
              api.putText(WRITER, path, "DOCUMENTATION", "# x\n"),
              api.get("/api/artifacts/" + path, READER))) {
        assertThat(r.status()).as(path.length() + " bytes: " + r).isEqualTo(400);
        assertThat(r.problem()).isEqualTo("invalid-path");
        assertThat(r.json().path("detail").asText())
            .contains("longer than 255 bytes", "each segment is at most 255 bytes");
      }
    }
    assertThat(listing()).isEmpty();
  }

  @Test
  void aPathOver512BytesIsAnInvalidPathNamingTheRule() {
    // every segment within 255 bytes, the whole over 512
    String path = runId + "/phase1/" + "c".repeat(250) + "/" + "d".repeat(250) + ".md";
    assertThat(path.length()).isGreaterThan(512);
    for (Response r :
        List.of(
            api.putText(WRITER, path, "DOCUMENTATION", "# x\n"),
            api.get("/api/artifacts/" + path, READER),
            api.get("/api/runs/" + runId + "/issues?file=" + path, READER))) {
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.json().path("detail").asText()).contains("longer than 512 bytes");
    }
    assertThat(listing()).isEmpty();
  }

  @Test
  void aFolderSegmentOfExactly255BytesIsStoredAndReadBack() {
    String path = runId + "/phase1/" + "e".repeat(255) + "/x.md";
    Response put = api.putText(WRITER, path, "DOCUMENTATION", "# at the limit\n");
    assertThat(put.status()).as(put.toString()).isEqualTo(201);
    assertThat(api.get("/api/artifacts/" + path, READER).text()).isEqualTo("# at the limit\n");
    assertThat(listing()).containsExactly(path);
  }

  @Test
  void aFileNameOf255BytesAndAPathOf512BytesAreStoredReadBackListedAndOverwritten() {
    String longest = runId + "/phase1/" + "l".repeat(255);
    String folder = runId + "/phase1/" + "f".repeat(255) + "/";
    String widest = folder + "w".repeat(512 - folder.length());
    assertThat(widest).hasSize(512);
    for (String path : List.of(longest, widest)) {
      for (int generation = 1; generation <= 10; generation++) {
        Response put =
            generation == 1
                ? api.putText(WRITER, path, "DOCUMENTATION", "# generation 1\n")
                : overwrite(path, "# generation " + generation + "\n");
        assertThat(put.status()).as(path.length() + " bytes: " + put).isEqualTo(201);
        assertThat(put.json().path("generation").asInt()).isEqualTo(generation);
      }
      assertThat(api.get("/api/artifacts/" + path, READER).text()).isEqualTo("# generation 10\n");
      for (int generation : new int[] {1, 2, 10}) {
        Response read = api.get("/api/artifacts/" + path + "?generation=" + generation, READER);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.text()).isEqualTo("# generation " + generation + "\n");
      }
    }
    assertThat(listing()).containsExactly(widest, longest);
  }

  private List<String> listing() {
    JsonNode items = api.get("/api/runs/" + runId + "/artifacts", READER).json().path("items");
    return items.findValuesAsText("path");
  }

  // ---- case 1: previews within server.maxPreviewBytes

  @Test
  void aPreviewLargerThanMaxPreviewBytesIs413NamingTheLimit() {
    String oneLine = runId + "/phase1/one-line.txt";
    Api.expect(putPlain(oneLine, "x".repeat(MIB + 10)), 201);
    String lines = runId + "/phase1/lines.txt";
    Api.expect(putPlain(lines, "one\ntwo\nthree\n"), 201);

    for (Response r :
        List.of(
            api.get("/api/artifacts/" + oneLine + "?lines=1-1", READER),
            api.head("/api/artifacts/" + oneLine + "?lines=1-1", READER))) {
      assertThat(r.status()).as(r.toString()).isEqualTo(413);
    }
    Response tooLarge = api.get("/api/artifacts/" + oneLine + "?lines=1-1", READER);
    assertThat(tooLarge.problem()).isEqualTo("payload-too-large");
    assertThat(tooLarge.json().path("detail").asText())
        .contains("server.maxPreviewBytes (1048576 bytes)", oneLine);
    assertThat(tooLarge.json().path("field").asText()).isEqualTo("lines");

    Response fine = api.get("/api/artifacts/" + lines + "?lines=2-3", READER);
    assertThat(fine.status()).isEqualTo(200);
    assertThat(fine.text()).isEqualTo("two\nthree\n");
    // the limit is on the slice: a line past a huge one is still a preview
    Api.expect(putPlain(runId + "/phase1/then.txt", "y".repeat(2 * MIB) + "\nsmall\n"), 201);
    assertThat(api.get("/api/artifacts/" + runId + "/phase1/then.txt?lines=2-2", READER).text())
        .isEqualTo("small\n");
  }

  private Response putPlain(String path, String text) {
    return api.put(
        "/api/artifacts/" + path,
        WRITER,
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "X-Artifact-Type",
        "OTHER",
        "Content-Type",
        "text/plain; charset=utf-8");
  }

  // ---- case 3: diffs within diff.maxTextBytes and the edit budget

  @Test
  void aDiffPastTheEditBudgetOrTheSizeLimitIsModifiedWithTheDiffOmitted() {
    String worst = runId + "/phase1/worst.md";
    String big = runId + "/phase1/big.md";
    String small = runId + "/phase1/small.md";
    // 60k random a/b lines a side: about 120 KB, far under the size limit, Myers' worst case
    Api.expect(api.putText(WRITER, worst, "DOCUMENTATION", randomAb(1, 60_000)), 201);
    Api.expect(api.putText(WRITER, big, "DOCUMENTATION", "x\n".repeat(MIB / 2 + 1)), 201);
    Api.expect(api.putText(WRITER, small, "DOCUMENTATION", "one\ntwo\n"), 201);
    api.finish(WRITER, runId, "phase1", 1, "SUCCEEDED");
    api.start(WRITER, runId, "phase1");
    overwrite(worst, randomAb(2, 60_000));
    overwrite(big, "x\n".repeat(MIB / 2) + "y\n");
    overwrite(small, "one\nTWO\n");
    api.finish(WRITER, runId, "phase1", 2, "SUCCEEDED");

    Response diff = api.get("/api/runs/" + runId + "/diff?from=phase1@1&to=phase1@2", READER);
    assertThat(diff.status()).as(diff.toString()).isEqualTo(200);
    JsonNode changes = diff.json().path("changes");
    assertThat(changes.findValuesAsText("key")).containsExactly("big.md", "small.md", "worst.md");
    for (JsonNode omitted : List.of(changes.get(0), changes.get(2))) {
      assertThat(omitted.path("kind").asText()).isEqualTo("MODIFIED");
      assertThat(omitted.has("unifiedDiff")).isTrue();
      assertThat(omitted.path("unifiedDiff").isNull()).as(omitted.toString()).isTrue();
      assertThat(omitted.path("diffOmitted").asText()).isEqualTo("too-large");
    }
    JsonNode diffed = changes.get(1);
    assertThat(diffed.path("kind").asText()).isEqualTo("MODIFIED");
    assertThat(diffed.path("unifiedDiff").asText()).contains("-two", "+TWO");
    assertThat(diffed.has("diffOmitted")).isTrue();
    assertThat(diffed.path("diffOmitted").isNull()).isTrue();
  }

  private Response overwrite(String path, String text) {
    Response token =
        api.post("/api/runs/" + runId + "/overwrite-tokens", WRITER, Map.of("path", path));
    Api.expect(token, 200);
    Response put =
        api.putText(
            WRITER,
            path,
            "DOCUMENTATION",
            text,
            "X-Overwrite-Token",
            token.json().path("token").asText());
    Api.expect(put, 201);
    return put;
  }

  /** Random lines of "a" and "b": many matches and a long edit script. */
  static String randomAb(long seed, int lines) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(2 * lines);
    for (int i = 0; i < lines; i++) {
      text.append(random.nextBoolean() ? "a\n" : "b\n");
    }
    return text.toString();
  }
}
