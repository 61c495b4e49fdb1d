package org.docsgen.store.adapters.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.out.Page;

/**
 * Keyset cursors: the sort key of the last row of a page, tagged with the listing it belongs to,
 * base64url-encoded. The next page asks for rows after that key ({@code (a, b) > (:a, :b)}), so a
 * page costs the same however deep it is; no OFFSET anywhere.
 */
final class PageCursors {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String SEPARATOR = "\n";

  private PageCursors() {}

  static String encode(String listing, Object... key) {
    StringBuilder text = new StringBuilder(listing);
    for (Object part : key) {
      text.append(SEPARATOR).append(part);
    }
    return ENCODER.encodeToString(text.toString().getBytes(UTF_8));
  }

  /**
   * The key parts of a cursor minted by {@link #encode} for {@code listing}; refuses a malformed
   * cursor or one minted for another listing.
   */
  static List<String> decode(String listing, String cursor, int parts) {
    String text;
    try {
      text = new String(DECODER.decode(cursor), UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
    String[] fields = text.split(SEPARATOR, -1);
    if (fields.length != parts + 1 || !fields[0].equals(listing)) {
      throw malformed();
    }
    return List.of(fields).subList(1, fields.length);
  }

  static int intPart(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw malformed();
    }
  }

  static long longPart(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw malformed();
    }
  }

  /**
   * A page from rows fetched with {@code LIMIT limit + 1}: the extra row only says that there is a
   * next page, whose cursor is the key of the last row kept.
   */
  static <T> Page<T> page(List<T> rows, int limit, Function<T, String> cursorOf) {
    if (rows.size() <= limit) {
      return Page.last(rows);
    }
    List<T> kept = new ArrayList<>(rows.subList(0, limit));
    return new Page<>(kept, cursorOf.apply(kept.get(limit - 1)));
  }

  private static InvalidInputException malformed() {
    return new InvalidInputException(
        "cursor",
        "the cursor is malformed or belongs to another listing; start from the first page");
  }
}
