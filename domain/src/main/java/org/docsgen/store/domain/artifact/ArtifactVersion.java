package org.docsgen.store.domain.artifact;

import static java.util.Objects.requireNonNull;

/** One exact version of an artifact: its path, generation and content hash. */
public record ArtifactVersion(LogicalPath path, int generation, ContentHash hash) {
  public ArtifactVersion {
    requireNonNull(path, "path is null");
    requireNonNull(hash, "hash is null");
    if (generation < 1) {
      throw new IllegalArgumentException("generation must be >= 1, was " + generation);
    }
  }

  @Override
  public String toString() {
    return path + "@" + generation + " " + hash;
  }
}
