package org.docsgen.store.ports.guard;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.policy.ImmutabilityPolicy;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.RefusedException;

/**
 * The policy asked again where a write commits ({@link
 * org.docsgen.store.ports.out.ManifestStore#recordWrite}): every manifest backend reads the facts
 * inside the transaction that would index the write and hands them here, so the rule and the
 * refusal it raises are one piece of code whatever the database.
 */
public final class CommitCheck {
  private CommitCheck() {}

  /**
   * Refuses the write of {@code path} unless {@link ImmutabilityPolicy#checkCommit} allows it:
   * {@code run-bundled} and {@code stage-approved} as {@link ImmutableException} (layer {@code
   * policy}, like the same refusal on arrival), {@code execution-finished} as {@link
   * RefusedException} with that code.
   */
  public static void require(
      Run run, PhaseExecution writtenBy, ApprovalEvent latestApprovalOrNull, LogicalPath path) {
    requireNonNull(path, "path is null");
    ImmutabilityPolicy.checkCommit(run, writtenBy, latestApprovalOrNull)
        .ifPresent(
            refusal -> {
              if (refusal.code().equals(ImmutabilityPolicy.EXECUTION_FINISHED)) {
                throw new RefusedException(
                    refusal.code(), path + " was not indexed: " + refusal.reason());
              }
              throw new ImmutableException(
                  ImmutableException.Layer.POLICY,
                  path,
                  null,
                  refusal.code() + " when the write arrived in full: " + refusal.reason());
            });
  }
}
