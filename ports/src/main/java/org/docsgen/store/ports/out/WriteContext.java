package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;

/**
 * What the manifest holds for a write of one path, as of one instant ({@link
 * ManifestStore#findWriteContext}): the path's run, the RUNNING execution of the path's stage, the
 * stage's latest approval event and the latest indexed generation of the path.
 */
public record WriteContext(
    Run run,
    Optional<PhaseExecution> running,
    Optional<ApprovalEvent> latestApproval,
    Optional<ArtifactRecord> indexed) {
  public WriteContext {
    requireNonNull(run, "run is null");
    requireNonNull(running, "running is null");
    requireNonNull(latestApproval, "latestApproval is null");
    requireNonNull(indexed, "indexed is null");
  }
}
