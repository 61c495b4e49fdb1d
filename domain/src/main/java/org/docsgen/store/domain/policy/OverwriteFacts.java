package org.docsgen.store.domain.policy;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;

/**
 * What the manifest knows when someone asks to overwrite an existing artifact: the run, the current
 * (latest) version, the stage's running execution (null if none) and the stage's latest approval
 * event (null if none).
 */
public record OverwriteFacts(
    Run run, ArtifactInfo current, PhaseExecution runningExecution, ApprovalEvent latestApproval) {
  public OverwriteFacts {
    requireNonNull(run, "run is null");
    requireNonNull(current, "current is null");
  }
}
