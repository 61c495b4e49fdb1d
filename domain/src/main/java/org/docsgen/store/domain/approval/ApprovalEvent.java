package org.docsgen.store.domain.approval;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * One approval decision about a stage: who, when, why, and the digest of the exact artifact set
 * decided on. Approval events are append-only; the latest one for a stage is in force. {@code
 * comment} may be empty, never null.
 */
public record ApprovalEvent(
    RunId runId,
    Stage stage,
    ApprovalDecision decision,
    String actor,
    String comment,
    Instant at,
    ContentHash contentDigest) {
  public ApprovalEvent {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(decision, "decision is null");
    requireNonNull(actor, "actor is null");
    requireNonNull(comment, "comment is null");
    requireNonNull(at, "at is null");
    requireNonNull(contentDigest, "contentDigest is null");
  }
}
