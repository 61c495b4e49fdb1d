package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;

/** A create-only write ({@code If-None-Match: *}) found the path already there. */
public final class AlreadyExistsException extends RefusedException {
  private final LogicalPath path;
  private final ContentHash currentHash;

  public AlreadyExistsException(LogicalPath path, ContentHash currentHash) {
    super(
        "already-exists",
        requireNonNull(path, "path is null")
            + " already exists (current hash "
            + currentHash
            + "); a create-only write never replaces it");
    this.path = path;
    this.currentHash = currentHash;
  }

  public LogicalPath path() {
    return path;
  }

  public ContentHash currentHash() {
    return currentHash;
  }
}
