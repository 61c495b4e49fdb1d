package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.ExecutionRef;

/** The manifest's index entry for one artifact version and the execution that first produced it. */
public record ArtifactRecord(ArtifactInfo info, ExecutionRef producedBy) {
  public ArtifactRecord {
    requireNonNull(info, "info is null");
    requireNonNull(producedBy, "producedBy is null");
  }
}
