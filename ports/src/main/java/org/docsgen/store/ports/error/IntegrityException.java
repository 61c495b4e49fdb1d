package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;

/** Stored content does not match its recorded hash (tampered or rotted), or is missing. */
public final class IntegrityException extends StoreException {
  private final LogicalPath path;

  public IntegrityException(LogicalPath path, String message) {
    super(requireNonNull(path, "path is null") + ": " + message);
    this.path = path;
  }

  public static IntegrityException mismatch(
      LogicalPath path, int generation, ContentHash expected, ContentHash actual) {
    return new IntegrityException(
        path,
        "generation "
            + generation
            + " content hash "
            + actual
            + " does not match the recorded "
            + expected);
  }

  public LogicalPath path() {
    return path;
  }
}
