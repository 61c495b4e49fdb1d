package org.docsgen.store.ports.out;

import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;

/**
 * An inclusive byte range {@code [first, last]} of an artifact, as in HTTP {@code Range}. {@code
 * last} may be {@link Long#MAX_VALUE} to mean "to the end"; {@link #clip(long)} resolves it against
 * the size.
 */
public record ByteRange(long first, long last) {
  public ByteRange {
    if (first < 0 || last < first) {
      throw new InvalidInputException(
          "range", "a byte range needs 0 <= first <= last, was " + first + "-" + last);
    }
  }

  public static ByteRange from(long first) {
    return new ByteRange(first, Long.MAX_VALUE);
  }

  public static ByteRange of(long first, long last) {
    return new ByteRange(first, last);
  }

  /** This range clipped to an artifact of {@code size} bytes; refused if it starts past the end. */
  public ByteRange clip(long size) {
    if (first >= size) {
      throw new RangeNotSatisfiableException(
          "range starts at byte " + first + " but the artifact has " + size + " bytes", size);
    }
    return new ByteRange(first, Math.min(last, size - 1));
  }

  public long length() {
    return last - first + 1;
  }
}
