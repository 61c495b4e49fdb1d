package org.docsgen.store.domain.gate;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.issue.ValidationIssue;

/**
 * One issue behind a failed gate with the artifact version it refers to and the execution that
 * produced that version ({@code artifact}/{@code producedBy} are null when the manifest no longer
 * knows the version, which fsck reports).
 */
public record IssueEvidence(ValidationIssue issue, ArtifactInfo artifact, ExecutionRef producedBy) {
  public IssueEvidence {
    requireNonNull(issue, "issue is null");
  }
}
