package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.PackedSegments;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP details of artifact reads and lists on the embedded default: conditional requests,
 * ranges, HEAD, previews, paging, and what a reader sees when stored bytes were tampered with.
 */
class ArtifactSemanticsTest {
  @TempDir Path dir;
  private TestServer server;
  private Api api;
  private String runId;

  @BeforeEach
  void start() {
    server = TestServer.embedded(dir);
    api = server.api();
    runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String put(String name, byte[] bytes, String mediaType) {
    Response r =
        api.put(
            "/api/artifacts/" + runId + "/phase1/" + name,
            WRITER,
            bytes,
            "X-Artifact-Type",
            "OTHER",
            "Content-Type",
            mediaType);
    Api.expect(r, 201);
    return "/api/artifacts/" + runId + "/phase1/" + name;
  }

  @Test
  void conditionalAndRangeRequests() {
    byte[] bytes = "0123456789abcdefghij".getBytes(UTF_8);
    String url = put("bytes.bin", bytes, "application/octet-stream");
    String etag = api.head(url, READER).header("ETag");
    assertThat(api.head(url, READER, "If-None-Match", "\"x\", " + etag).status()).isEqualTo(304);
    assertThat(api.get(url, READER, "If-None-Match", "W/" + etag).status()).isEqualTo(304);
    assertThat(api.get(url, READER, "If-None-Match", "*").status()).isEqualTo(304);
    assertThat(api.get(url, READER, "If-None-Match", "\"sha256:other\"").status()).isEqualTo(200);

    Response suffix = api.get(url, READER, "Range", "bytes=-4");
    assertThat(suffix.status()).isEqualTo(206);
    assertThat(suffix.text()).isEqualTo("ghij");
    assertThat(suffix.header("Content-Range")).isEqualTo("bytes 16-19/20");
    Response open = api.get(url, READER, "Range", "bytes=15-");
    assertThat(open.text()).isEqualTo("fghij");
    Response clipped = api.get(url, READER, "Range", "bytes=18-99");
    assertThat(clipped.text()).isEqualTo("ij");
    assertThat(clipped.header("Content-Range")).isEqualTo("bytes 18-19/20");
    Response several = api.get(url, READER, "Range", "bytes=0-1,4-5");
    assertThat(several.status()).isEqualTo(200);
    assertThat(several.body()).isEqualTo(bytes);
    Response staleIfRange =
        api.get(url, READER, "Range", "bytes=0-1", "If-Range", "\"sha256:old\"");
    assertThat(staleIfRange.status()).isEqualTo(200);
    assertThat(api.get(url, READER, "Range", "bytes=0-1", "If-Range", etag).status())
        .isEqualTo(206);
    Response unsatisfiable = api.get(url, READER, "Range", "bytes=20-");
    assertThat(unsatisfiable.status()).isEqualTo(416);
    assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */20");
  }

  @Test
  void headAndLinePreviews() {
    String url = put("notes.txt", "one\ntwo\nthree".getBytes(UTF_8), "text/plain; charset=utf-8");
    Response head = api.head(url, READER);
    assertThat(head.header("Content-Length")).isEqualTo("13");
    assertThat(head.header("X-Artifact-Generation")).isEqualTo("1");
    assertThat(head.header("X-Artifact-Type")).isEqualTo("OTHER");
    assertThat(head.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(api.get(url + "?lines=3-3", READER).text()).isEqualTo("three\n");
    assertThat(api.get(url + "?lines=2-99", READER).header("X-Line-Range")).isEqualTo("2-3");
    assertThat(api.head(url + "?lines=1-1", READER).header("Content-Length")).isEqualTo("4");
    assertThat(api.get(url + "?lines=4-5", READER).status()).isEqualTo(416);
    String binary = put("image.png", new byte[] {1, 2, 3}, "image/png");
    Response notText = api.get(binary + "?lines=1-2", READER);
    assertThat(notText.status()).isEqualTo(400);
    assertThat(notText.json().path("field").asText()).isEqualTo("lines");
    assertThat(api.get(url + "?generation=1", READER).header("Cache-Control"))
        .contains("immutable");
  }

  @Test
  void listsArePagedWithCursors() {
    for (int i = 0; i < 5; i++) {
      put("page-" + i + ".txt", ("p" + i).getBytes(UTF_8), "text/plain");
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          api.get(
                  "/api/runs/"
                      + runId
                      + "/artifacts?limit=2"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  READER)
              .json();
      assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
      page.path("items").forEach(item -> assertThat(seen.add(item.path("path").asText())).isTrue());
      cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(5);
    assertThat(pages).isEqualTo(3);
    api.createRun(WRITER, List.of("docsgen.md"), false);
    JsonNode runs = api.get("/api/runs?limit=1", READER).json();
    assertThat(runs.path("items")).hasSize(1);
    assertThat(runs.path("nextCursor").isTextual()).isTrue();
  }

  @Test
  void tamperedContentIsAnErrorNeverData() throws IOException {
    String small = put("small.txt", "trust me\n".getBytes(UTF_8), "text/plain");
    byte[] large = new byte[300_000];
    new Random(7).nextBytes(large);
    String big = put("large.bin", large, "application/octet-stream");
    // 9 bytes: packed in a segment file, flipped in place there; 300 000: a generation directory
    PackedSegments.flipContentByte(artifacts(), runId + "/phase1/small.txt", 1, -1);
    flipLastByte("large.bin@1");

    Response refused = api.get(small, READER);
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.problem()).isEqualTo("integrity-failure");
    assertThat(refused.json().path("path").asText()).isEqualTo(runId + "/phase1/small.txt");
    // larger than one chunk: the response has started, so the connection is cut short of its
    // Content-Length and the client never receives the whole (wrong) content
    assertThatThrownBy(() -> api.get(big, READER))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("300000");
    // a byte range and a line preview are checked too: the first read of a stored object hashes
    // it whole before any byte of it is sent
    Response range = api.get(big, READER, "Range", "bytes=0-9");
    assertThat(range.status()).isEqualTo(502);
    assertThat(range.problem()).isEqualTo("integrity-failure");
    Response lines = api.get(small + "?lines=1-1", READER);
    assertThat(lines.status()).isEqualTo(502);
    assertThat(lines.problem()).isEqualTo("integrity-failure");
    assertThat(api.get("/health", null).status()).isEqualTo(200);
  }

  @Test
  void contentTamperedAfterItWasReadIsAnErrorOnEveryKindOfRead() throws IOException {
    byte[] text = "line one\nline two\nline three\n".repeat(5_000).getBytes(UTF_8);
    String doc = put("doc.md", text, "text/markdown");
    // read whole, by range and by lines while intact: the store now knows this object as verified
    assertThat(api.get(doc, READER).status()).isEqualTo(200);
    assertThat(api.get(doc, READER, "Range", "bytes=70000-70009").status()).isEqualTo(206);
    assertThat(api.get(doc + "?lines=2-2", READER).status()).isEqualTo(200);
    flipByte("doc.md@1", 70_004);

    Response range = api.get(doc, READER, "Range", "bytes=70000-70009");
    assertThat(range.status()).isEqualTo(502);
    assertThat(range.problem()).isEqualTo("integrity-failure");
    Response far = api.get(doc, READER, "Range", "bytes=0-9");
    assertThat(far.status()).isEqualTo(502);
    Response lines = api.get(doc + "?lines=1-2", READER);
    assertThat(lines.status()).isEqualTo(502);
    assertThat(lines.problem()).isEqualTo("integrity-failure");
  }

  private Path artifacts() {
    return server.dataDir().resolve("artifacts");
  }

  /** Flips a byte of the {@code content} file of a generation directory (a body over 64 KiB). */
  private void flipByte(String generationDir, int index) throws IOException {
    Path content =
        artifacts().resolve(runId).resolve("phase1").resolve(generationDir).resolve("content");
    byte[] bytes = Files.readAllBytes(content);
    bytes[index < 0 ? bytes.length + index : index] ^= 1;
    content.toFile().setWritable(true);
    Files.write(content, bytes);
  }

  private void flipLastByte(String generationDir) throws IOException {
    flipByte(generationDir, -1);
  }
}
