package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactInfo;

/** The version a write left in place, and what the write did. */
public record WriteResult(ArtifactInfo info, Outcome outcome) {
  public enum Outcome {
    /** Generation 1 was created. */
    CREATED,
    /** The same bytes were already the latest generation; nothing was written. */
    UNCHANGED,
    /** A permitted overwrite created generation N+1. */
    OVERWRITTEN
  }

  public WriteResult {
    requireNonNull(info, "info is null");
    requireNonNull(outcome, "outcome is null");
  }
}
