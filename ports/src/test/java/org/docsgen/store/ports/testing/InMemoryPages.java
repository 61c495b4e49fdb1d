package org.docsgen.store.ports.testing;

import java.util.List;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/** Offset cursors over an already sorted list: enough for the in-memory doubles. */
final class InMemoryPages {
  private InMemoryPages() {}

  static <T> Page<T> slice(List<T> sorted, PageRequest page) {
    int from = page.cursorValue().map(InMemoryPages::offset).orElse(0);
    int to = (int) Math.min(sorted.size(), (long) from + page.limit());
    if (from >= to) {
      return Page.last(List.of());
    }
    return new Page<>(List.copyOf(sorted.subList(from, to)), to < sorted.size() ? "o" + to : null);
  }

  private static int offset(String cursor) {
    try {
      if (cursor.startsWith("o")) {
        return Integer.parseInt(cursor.substring(1));
      }
    } catch (NumberFormatException e) {
      // fall through to the refusal
    }
    throw new InvalidInputException("cursor", "unknown cursor '" + cursor + "'");
  }
}
