package org.docsgen.store.app.http.routes.api;

import java.util.Optional;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.out.ByteRange;

/**
 * The HTTP semantics of artifact reads: strong ETags from content hashes, {@code If-None-Match},
 * single byte ranges ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) with {@code If-Range},
 * and the {@code lines=A-B} preview parameter.
 */
final class Conditionals {
  private Conditionals() {}

  /** The strong entity tag of a version: its content hash, quoted. */
  static String etag(ContentHash hash) {
    return "\"" + hash + "\"";
  }

  /**
   * Whether {@code If-None-Match} matches {@code hash}: {@code *}, or any listed tag equal to it
   * (weak comparison, as RFC 9110 prescribes for If-None-Match).
   */
  static boolean noneMatchHits(String header, ContentHash hash) {
    if (header == null) {
      return false;
    }
    String ours = etag(hash);
    for (String tag : header.split(",")) {
      String t = tag.strip();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(ours)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The requested byte range, or empty when there is none to honour: no {@code Range}, an {@code
   * If-Range} that does not match, a unit other than bytes, or several ranges (then the whole
   * content is sent, as RFC 9110 allows). A syntactically broken single range is also ignored. The
   * returned range is not yet clipped to the size.
   */
  static Optional<ByteRange> range(String header, String ifRange, ContentHash hash, long size) {
    if (header == null) {
      return Optional.empty();
    }
    if (ifRange != null && !ifRange.strip().equals(etag(hash))) {
      return Optional.empty();
    }
    String spec = header.strip();
    if (!spec.regionMatches(true, 0, "bytes=", 0, 6)) {
      return Optional.empty();
    }
    String set = spec.substring(6).strip();
    if (set.contains(",")) {
      return Optional.empty();
    }
    int dash = set.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String first = set.substring(0, dash).strip();
    String last = set.substring(dash + 1).strip();
    try {
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0) {
          return Optional.of(ByteRange.of(size, size)); // unsatisfiable
        }
        return Optional.of(ByteRange.of(Math.max(0, size - suffix), Long.MAX_VALUE));
      }
      long from = Long.parseLong(first);
      long to = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
      if (from < 0 || to < from) {
        return Optional.empty();
      }
      return Optional.of(ByteRange.of(from, to));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code lines=A-B}: 1-based, inclusive, A &lt;= B. */
  record Lines(int first, int last) {}

  static Lines lines(String text) {
    int dash = text.indexOf('-');
    if (dash <= 0 || dash == text.length() - 1) {
      throw ApiException.badParameter(
          "lines", "lines must be A-B (1-based, inclusive), e.g. lines=10-20");
    }
    int first = positive(text.substring(0, dash));
    int last = positive(text.substring(dash + 1));
    if (last < first) {
      throw ApiException.badParameter(
          "lines", "lines " + text + " ends before it starts; use A-B with A <= B");
    }
    return new Lines(first, last);
  }

  private static int positive(String text) {
    if (!text.matches("[1-9][0-9]{0,8}")) {
      throw ApiException.badParameter(
          "lines", "lines must be A-B with positive line numbers, e.g. lines=10-20");
    }
    return Integer.parseInt(text);
  }
}
