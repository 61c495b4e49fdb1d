package org.docsgen.store.ports.in;

import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.domain.gate.GateOutcome;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/** Start, finish and inspect phase executions. */
public interface ExecutionUseCases {

  /**
   * Starts the stage's next attempt.
   *
   * @throws org.docsgen.store.ports.error.RefusedException {@code execution-already-running}, or
   *     {@code run-bundled} once the run is bundled
   */
  PhaseExecution start(RunId runId, Stage stage, String actor);

  /**
   * Finishes a RUNNING execution as SUCCEEDED, FAILED or GATE_FAILED ({@code error} may be null).
   *
   * @throws org.docsgen.store.ports.error.RefusedException {@code execution-not-running}
   */
  PhaseExecution finish(ExecutionRef ref, ExecutionStatus status, String error, String actor);

  /** The stage's executions by attempt. */
  Page<PhaseExecution> listExecutions(RunId runId, Stage stage, PageRequest page);

  /** One execution with its artifact versions, its issues and its gate outcome. */
  ExecutionDetails get(ExecutionRef ref);

  /**
   * One execution in full: the versions it produced or confirmed (all of them), its issue counts
   * and first page of issues (by id; page through the issue query for the rest), its gate, and the
   * open ERROR issues that keep the gate closed ({@code {rule, file}}, capped, with their total).
   */
  record ExecutionDetails(
      PhaseExecution execution,
      List<ArtifactInfo> artifacts,
      Map<Severity, Long> issueCounts,
      Page<ValidationIssue> issues,
      GateOutcome gate,
      FailingIssues failingIssues) {}
}
