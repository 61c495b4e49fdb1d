package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * Filters issues of one run; every other field is optional ({@code null} = any). {@code attempt}
 * needs {@code stage}.
 */
public record IssueQuery(
    RunId runId, Stage stage, Integer attempt, LogicalPath file, String rule, Severity severity) {
  public IssueQuery {
    requireNonNull(runId, "runId is null");
    if (attempt != null && stage == null) {
      throw new IllegalArgumentException("an attempt filter needs a stage");
    }
  }

  public static IssueQuery all(RunId runId) {
    return new IssueQuery(runId, null, null, null, null, null);
  }

  public IssueQuery ofExecution(Stage newStage, int newAttempt) {
    return new IssueQuery(runId, newStage, newAttempt, file, rule, severity);
  }

  public IssueQuery withFile(LogicalPath newFile) {
    return new IssueQuery(runId, stage, attempt, newFile, rule, severity);
  }

  public IssueQuery withRule(String newRule) {
    return new IssueQuery(runId, stage, attempt, file, newRule, severity);
  }

  public IssueQuery withSeverity(Severity newSeverity) {
    return new IssueQuery(runId, stage, attempt, file, rule, newSeverity);
  }
}
