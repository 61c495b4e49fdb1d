package org.docsgen.store.ports.in;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/** Record and query validation issues. */
public interface IssueUseCases {

  /**
   * Records issues against existing executions of the run, all or none. Each issue is tied to the
   * latest indexed generation of its file (the version that was validated) and fingerprinted.
   *
   * @throws org.docsgen.store.ports.error.NotFoundException unknown run or execution
   * @throws org.docsgen.store.ports.error.InvalidInputException a file the run never wrote
   */
  List<ValidationIssue> record(RunId runId, List<NewIssue> issues, String actor);

  /** Issues matching the filters, by id; each carries its version and deep link. */
  Page<ValidationIssue> query(IssueQuery query, PageRequest page);

  /** Matching issues counted per severity (every severity present). */
  Map<Severity, Long> countBySeverity(IssueQuery query);

  /** An issue as a validator reports it. {@code location} may be {@link IssueLocation#none()}. */
  record NewIssue(
      Stage stage,
      int attempt,
      LogicalPath file,
      String rule,
      Severity severity,
      String message,
      IssueLocation location,
      String validator) {
    public NewIssue {
      requireNonNull(stage, "stage is null");
      requireNonNull(file, "file is null");
      requireNonNull(rule, "rule is null");
      requireNonNull(severity, "severity is null");
      requireNonNull(message, "message is null");
      requireNonNull(location, "location is null");
      requireNonNull(validator, "validator is null");
    }
  }
}
