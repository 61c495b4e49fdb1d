package org.docsgen.store.domain.gate;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * Everything needed to debug a stage's gate without rerunning it: the latest execution (null if
 * none), the outcome, the severity counts for that attempt, and the evidence for each issue (ERROR
 * first).
 */
public record GateReport(
    RunId runId,
    Stage stage,
    PhaseExecution execution,
    GateOutcome outcome,
    Map<Severity, Long> issueCounts,
    List<IssueEvidence> evidence) {
  public GateReport {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(outcome, "outcome is null");
    issueCounts = Map.copyOf(issueCounts);
    evidence = List.copyOf(evidence);
  }

  /**
   * The open ERROR issues behind the outcome as {@code {rule, file}} (from the evidence, which
   * lists ERROR first), capped at {@link FailingIssues#MAX_LISTED}; the total is the attempt's
   * ERROR count.
   */
  public FailingIssues failingIssues() {
    return FailingIssues.of(
        evidence.stream().map(IssueEvidence::issue).toList(),
        issueCounts.getOrDefault(Severity.ERROR, 0L));
  }
}
