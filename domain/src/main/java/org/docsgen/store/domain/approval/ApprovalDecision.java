package org.docsgen.store.domain.approval;

/** What an approver decided about a stage. {@code REVOKED} withdraws an earlier approval. */
public enum ApprovalDecision {
  APPROVED,
  REJECTED,
  REVOKED
}
