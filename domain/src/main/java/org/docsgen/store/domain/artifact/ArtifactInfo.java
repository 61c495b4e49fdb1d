package org.docsgen.store.domain.artifact;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * What the stores know about one generation of an artifact. Generation 1 is the first write; each
 * permitted overwrite adds one. Earlier generations stay readable.
 */
public record ArtifactInfo(
    LogicalPath path,
    ArtifactType type,
    ContentHash hash,
    long size,
    String mediaType,
    String createdBy,
    Instant createdAt,
    int generation) {
  public ArtifactInfo {
    requireNonNull(path, "path is null");
    requireNonNull(type, "type is null");
    requireNonNull(hash, "hash is null");
    requireNonNull(mediaType, "mediaType is null");
    requireNonNull(createdBy, "createdBy is null");
    requireNonNull(createdAt, "createdAt is null");
    if (size < 0) {
      throw new InvalidValueException("size", "size must be >= 0, was " + size);
    }
    if (generation < 1) {
      throw new InvalidValueException("generation", "generation must be >= 1, was " + generation);
    }
  }

  public RunId runId() {
    return path.runId();
  }

  public Stage stage() {
    return path.stage();
  }

  public String name() {
    return path.name();
  }

  /** This artifact's identity as a version: path plus generation plus hash. */
  public ArtifactVersion version() {
    return new ArtifactVersion(path, generation, hash);
  }
}
