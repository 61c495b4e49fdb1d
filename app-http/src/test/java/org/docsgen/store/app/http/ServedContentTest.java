package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.EmbeddedServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ARCHITECTURE.md § Served content: every response carrying an artifact (whole, a byte range, a
 * line slice, a HEAD, a 304) says {@code nosniff} and {@code Content-Security-Policy: sandbox}, and
 * active types (HTML, SVG, XML, JavaScript) are downloads, so stored content never runs in the
 * server's origin.
 */
class ServedContentTest {
  private static final String BODY =
      "<html><script>alert(document.domain)</script></html>\nline2\n";

  @RegisterExtension static final EmbeddedServerExtension EMBEDDED = new EmbeddedServerExtension();

  private final Api api = EMBEDDED.api();
  private static String runId;

  @BeforeAll
  static void start() {
    Api api = EMBEDDED.api();
    runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "text/html; charset=utf-8, page.html, true",
    "image/svg+xml, image.svg, true",
    "application/xml, data.xml, true",
    "text/javascript, app.js, true",
    "text/markdown; charset=utf-8, doc.md, false"
  })
  void everyArtifactResponseCarriesTheServedContentHeaders(
      String mediaType, String name, boolean active) {
    String path = runId + "/phase1/" + name;
    Response put =
        api.put(
            "/api/artifacts/" + path,
            WRITER,
            BODY.getBytes(StandardCharsets.UTF_8),
            "X-Artifact-Type",
            "OTHER",
            "Content-Type",
            mediaType);
    Api.expect(put, 201);
    String url = "/api/artifacts/" + path;

    Response whole = api.get(url, READER);
    Api.expect(whole, 200);
    assertThat(whole.header("Content-Type")).startsWith(mediaType.split(";")[0]);
    assertServedSafely(whole, name, active);

    Response range = api.get(url, READER, "Range", "bytes=0-5");
    Api.expect(range, 206);
    assertServedSafely(range, name, active);

    Response pinned = api.get(url + "?generation=1", READER);
    Api.expect(pinned, 200);
    assertServedSafely(pinned, name, active);

    Response lines = api.get(url + "?lines=1-1", READER);
    Api.expect(lines, 200);
    assertServedSafely(lines, name, active);

    Response notModified = api.get(url, READER, "If-None-Match", whole.header("ETag"));
    Api.expect(notModified, 304);
    assertServedSafely(notModified, name, active);

    Response head = api.head(url, READER);
    Api.expect(head, 200);
    assertServedSafely(head, name, active);
  }

  private static void assertServedSafely(Response response, String name, boolean active) {
    assertThat(response.header("X-Content-Type-Options"))
        .as("nosniff on %s", response.status())
        .isEqualTo("nosniff");
    assertThat(response.header("Content-Security-Policy"))
        .as("CSP on %s", response.status())
        .isEqualTo("sandbox");
    if (active) {
      assertThat(response.header("Content-Disposition"))
          .as("an active type is a download (%s)", response.status())
          .isEqualTo("attachment; filename=\"" + name + "\"");
    } else {
      assertThat(response.header("Content-Disposition")).isNull();
    }
  }
}
