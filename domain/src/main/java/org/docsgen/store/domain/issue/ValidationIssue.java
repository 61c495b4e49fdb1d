package org.docsgen.store.domain.issue;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * A problem a validator found in one version of one file, recorded against the execution (run,
 * stage, attempt) that validated it. {@code generation} is the version of {@code file} the issue
 * refers to. {@code id} is assigned by the manifest store.
 */
public record ValidationIssue(
    long id,
    RunId runId,
    Stage stage,
    int attempt,
    LogicalPath file,
    int generation,
    String rule,
    Severity severity,
    String message,
    IssueLocation location,
    String validator,
    Fingerprint fingerprint) {
  public ValidationIssue {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(file, "file is null");
    requireNonNull(rule, "rule is null");
    requireNonNull(severity, "severity is null");
    requireNonNull(message, "message is null");
    requireNonNull(location, "location is null");
    requireNonNull(validator, "validator is null");
    requireNonNull(fingerprint, "fingerprint is null");
    if (attempt < 1) {
      throw new InvalidValueException("attempt", "attempt must be >= 1, was " + attempt);
    }
    if (generation < 1) {
      throw new InvalidValueException("generation", "generation must be >= 1, was " + generation);
    }
  }

  public ExecutionRef execution() {
    return new ExecutionRef(runId, stage, attempt);
  }

  /**
   * The deep link to the exact lines of the exact version: {@code
   * /api/artifacts/<path>?generation=N[&lines=A-B]}.
   */
  public String link() {
    StringBuilder link =
        new StringBuilder("/api/artifacts/").append(file).append("?generation=").append(generation);
    if (location.line() != null) {
      int end = location.endLine() != null ? location.endLine() : location.line();
      link.append("&lines=").append(location.line()).append('-').append(end);
    }
    return link.toString();
  }
}
