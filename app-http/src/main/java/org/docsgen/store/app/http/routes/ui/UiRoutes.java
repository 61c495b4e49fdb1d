package org.docsgen.store.app.http.routes.ui;

import static org.docsgen.store.app.http.routes.Route.Method.GET;
import static org.docsgen.store.app.http.routes.Route.route;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.auth.Access;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.app.http.routes.Route;
import org.docsgen.store.app.http.routes.Route.Body;

/**
 * The browser view (ARCHITECTURE.md § Entry points): static files from the jar's {@code ui/}
 * resources, open like {@code /health} because they hold no data (every datum comes through the
 * authenticated JSON API). Each answer carries a strict Content-Security-Policy: scripts, styles
 * and fetches only from this origin, no inline script or style, no framing, no {@code <base>}.
 */
public final class UiRoutes {
  /** The policy every {@code /ui/} answer carries. */
  public static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
          + " connect-src 'self'; font-src 'self'; manifest-src 'self'; frame-ancestors 'none';"
          + " base-uri 'none'; form-action 'self'";

  private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|html|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "html", "text/html; charset=utf-8",
          "svg", "image/svg+xml");

  private UiRoutes() {}

  /** {@code /ui} (redirect), {@code /ui/} (the page) and {@code /ui/<asset>}. */
  public static List<Route> table() {
    return List.of(
        route(GET, "/ui", Access.OPEN)
            .tag("ui")
            .id("browserViewRedirect", "Redirects to /ui/")
            .replies(308, new Body.None(), "Location: /ui/")
            .handle(ex -> redirect(ex)),
        route(GET, "/ui/", Access.OPEN)
            .tag("ui")
            .id("browserView", "The read-only browser view (HTML; data through this API)")
            .replies(200, new Body.Bytes(), "text/html")
            .handle(ex -> serve(ex, "index.html")),
        route(GET, "/ui/{asset}", Access.OPEN)
            .tag("ui")
            .id("browserViewAsset", "A script, style sheet or image of the browser view")
            .replies(200, new Body.Bytes(), "the asset")
            .problems(404)
            .handle(ex -> serve(ex, ex.ctx().pathParam("asset"))));
  }

  private static void redirect(Exchange ex) {
    secure(ex);
    ex.ctx().status(308);
    ex.ctx().header("Location", "/ui/");
  }

  private static void serve(Exchange ex, String name) {
    if (!ASSET.matcher(name).matches()) {
      throw notFound(name);
    }
    byte[] bytes;
    try (InputStream in = UiRoutes.class.getResourceAsStream("/ui/" + name)) {
      if (in == null) {
        throw notFound(name);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    secure(ex);
    // assets change with the jar; revalidation is cheap and avoids a stale mix after an upgrade
    ex.ctx().header("Cache-Control", "no-cache");
    ex.ctx().status(200);
    ex.ctx().contentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
    ex.ctx().result(bytes);
    ex.countOut(bytes.length);
  }

  private static void secure(Exchange ex) {
    ex.ctx().header("Content-Security-Policy", CSP);
    ex.ctx().header("X-Content-Type-Options", "nosniff");
    ex.ctx().header("Referrer-Policy", "no-referrer");
    ex.ctx().header("X-Frame-Options", "DENY");
    ex.ctx().header("Cross-Origin-Opener-Policy", "same-origin");
  }

  private static ApiException notFound(String name) {
    return new ApiException(
        Problem.of(ProblemType.NOT_FOUND, "the browser view has no file named " + name), Map.of());
  }
}
