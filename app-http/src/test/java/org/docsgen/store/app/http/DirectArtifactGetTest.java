package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.EmbeddedServerExtension;
import org.docsgen.store.app.http.testing.PackedSegments;
import org.docsgen.store.app.http.testing.RawHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * The artifact GET's direct path ({@code DirectArtifactGet}): the plain read it answers is the
 * Javalin route's answer byte for byte (status, every header but {@code Date}, body), with the same
 * request log line and metrics; everything else reaches the route and is answered as before.
 */
class DirectArtifactGetTest {
  @RegisterExtension static final EmbeddedServerExtension EMBEDDED = new EmbeddedServerExtension();

  private final Api api = EMBEDDED.api();
  private static String runId;

  @BeforeAll
  static void start() {
    Api api = EMBEDDED.api();
    runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
  }

  private long direct() {
    return EMBEDDED.server().server().directReads();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "text/markdown; charset=utf-8, doc.md",
    "text/html; charset=utf-8, page.html",
    "image/svg+xml, image.svg",
    "application/octet-stream, blob.bin",
    "text/plain;charset=UTF-8, notes.txt",
    "text/plain, plain.txt",
    "text/plain; charset=iso-8859-1, latin.txt",
    "TEXT/HTML; CHARSET=UTF-8, shout.html",
    "text/html, bare.html",
    "text/xml; charset=utf-8, feed.xml",
    "application/json, data.json",
    "application/json; charset=utf-8, data2.json"
  })
  void answersAPlainReadExactlyAsTheRouteDoes(String mediaType, String name) throws IOException {
    String url = "/api/artifacts/" + runId + "/phase1/" + name;
    String body = "content of " + name + "\nsecond line\n";
    Api.expect(
        api.put(
            url,
            WRITER,
            body.getBytes(UTF_8),
            "X-Artifact-Type",
            "OTHER",
            "Content-Type",
            mediaType),
        201);
    for (String query : List.of("", "?generation=1")) {
      long before = direct();
      RawHttp.Reply fast = raw(url + query);
      assertThat(direct()).as("answered directly").isEqualTo(before + 1);
      // an If-None-Match that matches nothing: the same 200, answered by the Javalin route
      RawHttp.Reply routed = raw(url + query, "If-None-Match", "\"sha256:none\"");
      assertThat(direct()).as("passed on to the route").isEqualTo(before + 1);

      assertThat(fast.status()).isEqualTo(200);
      assertThat(fast.body()).isEqualTo(body);
      assertThat(routed.status()).isEqualTo(200);
      assertThat(routed.body()).isEqualTo(body);
      // every header but Date, with the same values, in the same order
      assertThat(List.copyOf(butDate(fast).entrySet()))
          .isEqualTo(List.copyOf(butDate(routed).entrySet()));
    }
  }

  private RawHttp.Reply raw(String target, String... headers) throws IOException {
    try (RawHttp raw = RawHttp.connect(api.base(), 10_000)) {
      String[] all = Arrays.copyOf(headers, headers.length + 2);
      all[headers.length] = "Authorization";
      all[headers.length + 1] = "Bearer " + READER;
      return raw.head("GET", target, all).read();
    }
  }

  @Test
  void everythingElseIsAnsweredByTheRouteAsBefore() {
    String url = "/api/artifacts/" + runId + "/phase1/other.md";
    Api.expect(api.putText(WRITER, runId + "/phase1/other.md", "DOCUMENTATION", "a\nb\nc\n"), 201);
    long before = direct();

    assertThat(api.get(url, null).status()).isEqualTo(401);
    assertThat(api.get(url, "not-a-token-0123456789").status()).isEqualTo(401);
    assertThat(api.get(url + "?generation=2", READER).status()).isEqualTo(404);
    assertThat(api.get(url + "?generation=0", READER).status()).isEqualTo(400);
    assertThat(api.get(url + "?generation=01", READER).status()).isIn(200, 400);
    assertThat(api.get(url + "?lines=2-2", READER).text()).isEqualTo("b\n");
    assertThat(api.get(url, READER, "Range", "bytes=0-0").status()).isEqualTo(206);
    assertThat(api.head(url, READER).status()).isEqualTo(200);
    assertThat(api.get("/api/artifacts/" + runId + "/phase1/missing.md", READER).status())
        .isEqualTo(404);
    assertThat(api.get("/api/artifacts/" + runId + "/phase1/../x.md", READER).status())
        .isEqualTo(400);
    assertThat(api.get("/api/artifacts/" + runId + "/phase1/o%74her.md", READER).status())
        .isEqualTo(200);
    assertThat(api.get("/api/artifacts/" + runId + "/phase9/other.md", READER).status())
        .isEqualTo(404);
    assertThat(direct()).isEqualTo(before);

    // a PUT, a POST and a listing still pass through to their routes
    Api.expect(api.putText(WRITER, runId + "/phase1/other2.md", "DOCUMENTATION", "x"), 201);
    Api.expect(api.get("/api/runs/" + runId + "/artifacts", READER), 200);
    assertThat(direct()).isEqualTo(before);
  }

  @Test
  void tamperedContentIsNeverServedDirectly() throws IOException {
    String name = "tampered.md";
    String url = "/api/artifacts/" + runId + "/phase1/" + name;
    Api.expect(
        api.putText(WRITER, runId + "/phase1/" + name, "DOCUMENTATION", "intact text\n"), 201);
    Api.expect(api.get(url, READER), 200);
    // a small body is packed: its first content byte flipped in place in the segment file
    PackedSegments.flipContentByte(
        EMBEDDED.server().dataDir().resolve("artifacts"), runId + "/phase1/" + name, 1, 0);
    long before = direct();

    Response read = api.get(url, READER);

    assertThat(read.status()).isEqualTo(502);
    assertThat(read.problem()).isEqualTo("integrity-failure");
    assertThat(direct()).isEqualTo(before);
  }

  /**
   * Readers on the direct path while a writer adds generations: every answer is one whole
   * generation — its body is the bytes written as that generation, its ETag their hash — never a
   * mix, never a generation that is not yet indexed.
   */
  @Test
  void readsDuringOverwritesEachAnswerOneWholeGeneration() throws Exception {
    String path = runId + "/phase1/moving.md";
    String url = "/api/artifacts/" + path;
    int generations = 15;
    Api.expect(api.putText(WRITER, path, "DOCUMENTATION", text(1)), 201);
    long before = direct();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> wrong = new CopyOnWriteArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(6);
    List<Future<?>> done = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      done.add(
          readers.submit(
              () -> {
                while (writing.get()) {
                  Response read = api.get(url, READER);
                  reads.incrementAndGet();
                  int g = Integer.parseInt(read.header("X-Artifact-Generation"));
                  String body = read.text();
                  String etag = "\"sha256:" + sha256(read.body()) + "\"";
                  if (read.status() != 200
                      || !body.equals(text(g))
                      || !etag.equals(read.header("ETag"))) {
                    wrong.add(read.status() + " g" + g + " " + read.header("ETag") + " " + body);
                  }
                }
                return null;
              }));
    }
    try {
      for (int g = 2; g <= generations; g++) {
        Response token =
            api.post("/api/runs/" + runId + "/overwrite-tokens", WRITER, Map.of("path", path));
        Api.expect(token, 200);
        Api.expect(
            api.putText(
                WRITER,
                path,
                "DOCUMENTATION",
                text(g),
                "X-Overwrite-Token",
                token.json().path("token").asText()),
            201);
      }
    } finally {
      writing.set(false);
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      readers.shutdown();
    }

    assertThat(wrong).isEmpty();
    assertThat(reads.get()).isGreaterThan(generations);
    assertThat(direct() - before).as("answered directly").isEqualTo(reads.get());
    Response last = api.get(url, READER);
    assertThat(last.header("X-Artifact-Generation")).isEqualTo(Integer.toString(generations));
    assertThat(last.text()).isEqualTo(text(generations));
  }

  private static String text(int generation) {
    return ("generation " + generation + "\n").repeat(200 + generation);
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void aDirectReadLogsOneLineAndCountsInTheMetrics() throws InterruptedException {
    String path = runId + "/phase1/logged.md";
    Api.expect(api.putText(WRITER, path, "DOCUMENTATION", "logged\n"), 201);
    Logger access = (Logger) LoggerFactory.getLogger("docsgen.http.access");
    List<String> lines = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent event) {
            if (event.getFormattedMessage().contains("route=/api/artifacts/")) {
              lines.add(event.getFormattedMessage());
            }
          }
        };
    appender.start();
    long before = direct();
    double countBefore = metric(GET_COUNT);
    double bytesBefore = metric(GET_BYTES);
    access.addAppender(appender);
    try {
      Api.expect(api.get("/api/artifacts/" + path, READER), 200);
      // the line and the metrics are written once the response is, which the client may see first
      long deadline = System.nanoTime() + 10_000_000_000L;
      while ((lines.isEmpty() || metric(GET_COUNT) == countBefore)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } finally {
      access.detachAppender(appender);
    }
    assertThat(direct()).isEqualTo(before + 1);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("method=GET route=/api/artifacts/<path> status=200 durationMs=")
        .contains("principal=rita-reader")
        .contains("bytesIn=0 bytesOut=7");
    assertThat(metric(GET_COUNT)).isEqualTo(countBefore + 1);
    assertThat(metric(GET_BYTES)).isEqualTo(bytesBefore + 7);
  }

  private static final String GET_COUNT =
      "docsgen_http_server_requests_seconds_count{method=\"GET\",route=\"/api/artifacts/<path>\",status=\"200\"} ";
  private static final String GET_BYTES =
      "docsgen_http_server_sent_bytes_total{method=\"GET\",route=\"/api/artifacts/<path>\"} ";

  /** The value of the metrics line that starts with {@code series}, 0 when there is none. */
  private double metric(String series) {
    return api.get("/metrics", READER)
        .text()
        .lines()
        .filter(line -> line.startsWith(series))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length())))
        .findFirst()
        .orElse(0);
  }

  private static Map<String, String> butDate(RawHttp.Reply reply) {
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.remove("date");
    return headers;
  }
}
