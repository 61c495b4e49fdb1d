package org.docsgen.store.app.http.json;

import org.docsgen.store.domain.artifact.ArtifactVersion;

/** One exact artifact version: path, generation, hash. */
public record VersionJson(String path, int generation, String hash) {

  public static VersionJson of(ArtifactVersion version) {
    return version == null
        ? null
        : new VersionJson(
            version.path().toString(), version.generation(), version.hash().toString());
  }
}
