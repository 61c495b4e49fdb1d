package org.docsgen.store.app.http.routes.api;

import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import org.docsgen.store.domain.artifact.ArtifactInfo;

/**
 * The headers every artifact read carries (ARCHITECTURE.md § Served content), so nothing stored
 * runs in the server's origin: {@code X-Content-Type-Options: nosniff} (no guessing a type the
 * writer did not declare), {@code Content-Security-Policy: sandbox} (a document opened from here is
 * a unique opaque origin without scripts), and for active types (HTML, SVG, XML, JavaScript) {@code
 * Content-Disposition: attachment} as well. The decision follows the artifact's stored media type,
 * so a whole read, a range, a line slice, a HEAD and a 304 of one artifact all answer alike.
 */
final class ServedContent {
  static final String NOSNIFF = "nosniff";
  static final String CSP = "sandbox";

  private static final Set<String> ACTIVE =
      Set.of(
          "text/html",
          "application/xhtml+xml",
          "image/svg+xml",
          "text/xml",
          "application/xml",
          "text/xsl",
          "application/xslt+xml",
          "text/javascript",
          "application/javascript",
          "application/x-javascript",
          "application/ecmascript",
          "text/ecmascript",
          "text/jscript");

  private ServedContent() {}

  static void describe(ArtifactInfo info, BiConsumer<String, String> put) {
    put.accept("X-Content-Type-Options", NOSNIFF);
    put.accept("Content-Security-Policy", CSP);
    if (isActive(info.mediaType())) {
      put.accept("Content-Disposition", disposition(info));
    }
  }

  /** The Content-Disposition of an active type: an attachment under its own file name. */
  static String disposition(ArtifactInfo info) {
    // the file name is one path segment, [A-Za-z0-9._-]+ by the path grammar: safe to quote
    return "attachment; filename=\"" + info.path().fileName() + "\"";
  }

  /** Whether a browser would run or render {@code mediaType} as an active document. */
  static boolean isActive(String mediaType) {
    int semicolon = mediaType.indexOf(';');
    String base =
        (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    return ACTIVE.contains(base) || base.endsWith("+xml") || base.contains("javascript");
  }
}
