package org.docsgen.store.app.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.routes.ui.UiRoutes;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.EmbeddedServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser view's files over plain HTTP (no browser needed): open, with the strict CSP and
 * nosniff on every answer, every file the page loads present, nothing outside {@code ui/}
 * reachable, and the scripts free of the calls that would turn stored content into markup.
 */
class BrowserViewAssetsTest {
  private static final Pattern IMPORTS =
      Pattern.compile("(?:from\\s+'\\./([^']+)'|(?:src|href)=\"([a-z0-9.-]+\\.(?:js|css|svg))\")");

  @RegisterExtension static final EmbeddedServerExtension EMBEDDED = new EmbeddedServerExtension();

  private final Api api = EMBEDDED.api();

  @Test
  void thePageAndEveryFileItLoadsAreServedOpenWithTheStrictPolicy() {
    List<String> files = reachable();
    assertThat(files)
        .contains("index.html", "app.js", "app.css", "api.js", "dom.js", "pages-bundle.js");
    for (String file : files) {
      Response r = api.get(file.equals("index.html") ? "/ui/" : "/ui/" + file, null);
      assertThat(r.status()).as(file).isEqualTo(200);
      assertThat(r.header("Content-Security-Policy")).as(file).isEqualTo(UiRoutes.CSP);
      assertThat(r.header("X-Content-Type-Options")).as(file).isEqualTo("nosniff");
      assertThat(r.header("Content-Type"))
          .as(file)
          .startsWith(
              file.endsWith(".js")
                  ? "text/javascript"
                  : file.endsWith(".css")
                      ? "text/css"
                      : file.endsWith(".svg") ? "image/svg+xml" : "text/html");
    }
    assertThat(UiRoutes.CSP)
        .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe");
  }

  @Test
  void theBareUiPathRedirectsAndNothingOutsideTheUiFolderIsServed() {
    Response bare = api.get("/ui", null);
    assertThat(bare.status()).isEqualTo(308);
    assertThat(bare.header("Location")).isEqualTo("/ui/");
    for (String path :
        List.of("/ui/logback.xml", "/ui/..%2Flogback.xml", "/ui/missing.js", "/ui/APP.JS")) {
      Response r = api.get(path, null);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.text()).as(path).doesNotContain("<configuration");
    }
  }

  @Test
  void theScriptsPutStoredContentInAsTextAndLoadNothingFromElsewhere() throws IOException {
    for (String file : reachable()) {
      // an SVG's namespace name is an identifier, never fetched
      String text = resource(file).replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
      assertThat(text)
          .as(file)
          .doesNotContain(
              "innerHTML",
              "outerHTML",
              "insertAdjacentHTML",
              "document.write",
              "eval(",
              "new Function",
              "localStorage",
              "http://",
              "https://");
      if (file.endsWith(".html")) {
        assertThat(text)
            .as(file)
            .doesNotContain("<script>", "<style", " style=")
            .doesNotContainPattern("\\son[a-z]+\\s*=");
      }
    }
  }

  /** index.html and every file reachable from it through src=, href= and ES imports. */
  private static List<String> reachable() {
    List<String> seen = new ArrayList<>(List.of("index.html"));
    for (int i = 0; i < seen.size(); i++) {
      Matcher m = IMPORTS.matcher(resource(seen.get(i)));
      while (m.find()) {
        String name = m.group(1) != null ? m.group(1) : m.group(2);
        if (!seen.contains(name)) {
          seen.add(name);
        }
      }
    }
    return seen;
  }

  private static String resource(String name) {
    try (InputStream in = UiRoutes.class.getResourceAsStream("/ui/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
