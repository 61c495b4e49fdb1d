package org.docsgen.store.ports.out;

import java.util.Optional;
import org.docsgen.store.ports.error.InvalidInputException;

/**
 * A page of a listing: an opaque cursor from the previous page's {@link Page#nextCursor()} (null
 * for the first page) and a limit between 1 and {@value #MAX_LIMIT} (default {@value
 * #DEFAULT_LIMIT}). Cursors are minted and understood only by the store that listed.
 */
public record PageRequest(String cursor, int limit) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public PageRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException(
          "limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (cursor != null && cursor.isEmpty()) {
      cursor = null;
    }
  }

  public static PageRequest first() {
    return new PageRequest(null, DEFAULT_LIMIT);
  }

  public static PageRequest first(int limit) {
    return new PageRequest(null, limit);
  }

  public PageRequest next(String nextCursor) {
    return new PageRequest(nextCursor, limit);
  }

  public Optional<String> cursorValue() {
    return Optional.ofNullable(cursor);
  }
}
