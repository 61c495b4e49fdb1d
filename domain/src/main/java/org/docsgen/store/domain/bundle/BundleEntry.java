package org.docsgen.store.domain.bundle;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;

/**
 * One entry of a bundle zip: its name inside the zip, the SHA-256 and size of its bytes, and the
 * artifact version it was copied from ({@code null} only for the generated README).
 */
public record BundleEntry(String name, ContentHash hash, long size, ArtifactVersion source) {
  public BundleEntry {
    requireNonNull(name, "name is null");
    requireNonNull(hash, "hash is null");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
  }
}
