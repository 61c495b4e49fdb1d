package org.docsgen.store.app.http.routes.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.app.http.routes.Params;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * Takes an artifact's logical path from the request line as the client sent it — the raw, still
 * percent-encoded URI, not a path the container already decoded or normalised — decodes it strictly
 * (malformed escapes and invalid or overlong UTF-8 refused) and hands the result to {@link
 * LogicalPath#parse}, the one place that decides. So {@code ..}, {@code %2e%2e}, {@code %2f},
 * {@code %5c}, {@code %00} and look-alike characters all end as a 400 {@code invalid-path},
 * whatever the container let through.
 */
final class ArtifactPaths {
  static final String PREFIX = "/api/artifacts/";

  private ArtifactPaths() {}

  static LogicalPath fromRequest(Exchange exchange) {
    String raw = exchange.ctx().req().getRequestURI();
    if (raw == null || !raw.startsWith(PREFIX)) {
      throw invalid("the artifact path must follow " + PREFIX);
    }
    String encoded = raw.substring(PREFIX.length());
    if (encoded.toLowerCase(java.util.Locale.ROOT).contains("%2f")) {
      throw invalid("the path has an encoded '/' (%2F); separate segments with a plain '/'");
    }
    String decoded = decode(encoded);
    return Params.parse("path", () -> LogicalPath.parse(decoded));
  }

  /** Strict percent-decoding of a path (no {@code +} for space), UTF-8 without replacement. */
  static String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        if (i + 2 >= encoded.length()
            || Character.digit(encoded.charAt(i + 1), 16) < 0
            || Character.digit(encoded.charAt(i + 2), 16) < 0) {
          throw invalid("the path has a malformed percent escape");
        }
        bytes.write(
            Character.digit(encoded.charAt(i + 1), 16) * 16
                + Character.digit(encoded.charAt(i + 2), 16));
        i += 2;
      } else if (c > 0x7f) {
        throw invalid("the path has a raw non-ASCII character");
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalid("the path is not valid UTF-8 once percent-decoded");
    }
  }

  private static ApiException invalid(String detail) {
    return new ApiException(
        Problem.builder(ProblemType.INVALID_PATH, detail).field("path").build());
  }
}
