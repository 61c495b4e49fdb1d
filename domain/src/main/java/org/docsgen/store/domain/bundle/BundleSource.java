package org.docsgen.store.domain.bundle;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactInfo;

/**
 * One core file going into a bundle: its entry name in the zip and the version it is copied from.
 */
public record BundleSource(String entryName, ArtifactInfo source) {
  public BundleSource {
    requireNonNull(entryName, "entryName is null");
    requireNonNull(source, "source is null");
  }
}
