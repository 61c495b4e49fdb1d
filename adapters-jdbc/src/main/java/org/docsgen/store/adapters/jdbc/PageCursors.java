package org.docsgen.store.adapters.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.paging.PageCursorCodec;

/**
 * Keyset cursors: the sort key of the last row of a page, tagged with the listing it belongs to
 * ({@code <listing>\n<key part>\n…}, written by the shared {@link PageCursorCodec}). The next page
 * asks for rows after that key ({@code (a, b) > (:a, :b)}), so a page costs the same however deep
 * it is; no OFFSET anywhere.
 */
final class PageCursors {
  private static final PageCursorCodec CODEC =
      PageCursorCodec.of(
          "\n", "the cursor is malformed or belongs to another listing; start from the first page");

  private PageCursors() {}

  static String encode(String listing, Object... key) {
    Object[] fields = new Object[key.length + 1];
    fields[0] = listing;
    System.arraycopy(key, 0, fields, 1, key.length);
    return CODEC.encode(fields);
  }

  /**
   * The key parts of a cursor minted by {@link #encode} for {@code listing}; refuses a malformed
   * cursor or one minted for another listing (and, when read as a number, a part that is not one).
   */
  static PageCursorCodec.Fields decode(String listing, String cursor, int parts) {
    return CODEC.decodeTagged(cursor, listing, parts);
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
}
