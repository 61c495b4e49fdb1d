package org.docsgen.store.domain.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A documentation run: its id, status, who created it and when, the core files its bundle must
 * hold, and whether the bundle gets a README pointing to {@code docsgen.md}.
 */
public record Run(
    RunId runId,
    RunStatus status,
    String createdBy,
    Instant createdAt,
    CoreFileSet coreFiles,
    boolean bundleReadme) {
  public Run {
    requireNonNull(runId, "runId is null");
    requireNonNull(status, "status is null");
    requireNonNull(createdBy, "createdBy is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(coreFiles, "coreFiles is null");
  }

  public Run withStatus(RunStatus newStatus) {
    return new Run(runId, newStatus, createdBy, createdAt, coreFiles, bundleReadme);
  }
}
