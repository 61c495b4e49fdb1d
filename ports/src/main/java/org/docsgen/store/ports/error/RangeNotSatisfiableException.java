package org.docsgen.store.ports.error;

/** A byte range or line range starts past the end of the artifact. */
public final class RangeNotSatisfiableException extends InvalidInputException {
  private final long size;

  public RangeNotSatisfiableException(String message, long size) {
    super("range", message);
    this.size = size;
  }

  /** The artifact's size in the unit of the range (bytes or lines). */
  public long size() {
    return size;
  }
}
