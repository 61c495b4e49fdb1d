package org.docsgen.store.app.http.json;

import java.time.Instant;
import org.docsgen.store.domain.artifact.ArtifactInfo;

/** ArtifactInfo as the API shows it (names pinned in ARCHITECTURE.md § Interface details). */
public record ArtifactJson(
    String path,
    String runId,
    String stage,
    String name,
    String type,
    String hash,
    long size,
    String mediaType,
    String createdBy,
    Instant createdAt,
    int generation) {

  public static ArtifactJson of(ArtifactInfo info) {
    if (info == null) {
      return null;
    }
    return new ArtifactJson(
        info.path().toString(),
        info.runId().toString(),
        info.stage().toString(),
        info.name(),
        info.type().name(),
        info.hash().toString(),
        info.size(),
        info.mediaType(),
        info.createdBy(),
        info.createdAt(),
        info.generation());
  }
}
