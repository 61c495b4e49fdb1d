package org.docsgen.store.domain.gate;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * Decides a stage's gate: it passes only when the stage's latest execution SUCCEEDED and no {@code
 * ERROR} issue is recorded against that attempt. Warnings and infos never fail it. A new attempt
 * re-validates; issues are not closed one by one.
 */
public final class GateEvaluator {
  /** ERROR, WARNING, INFO; then file; then line (unknown last); then column; then id. */
  public static final Comparator<IssueEvidence> EVIDENCE_ORDER =
      Comparator.comparing((IssueEvidence e) -> e.issue().severity())
          .thenComparing(e -> e.issue().file())
          .thenComparing(e -> e.issue().location(), GateEvaluator::compareLocations)
          .thenComparingLong(e -> e.issue().id());

  private GateEvaluator() {}

  /**
   * The gate of {@code stage} given its latest execution (empty when none) and the number of {@code
   * ERROR} issues recorded against that execution's attempt. Every reason that applies is listed
   * (e.g. a GATE_FAILED execution with 3 errors gives two reasons).
   *
   * @throws IllegalArgumentException when {@code latest} is of another stage or {@code errorIssues}
   *     is negative
   */
  public static GateOutcome evaluate(
      Stage stage, Optional<PhaseExecution> latest, long errorIssues) {
    requireNonNull(stage, "stage is null");
    requireNonNull(latest, "latest is null");
    if (errorIssues < 0) {
      throw new IllegalArgumentException("errorIssues must be >= 0, was " + errorIssues);
    }
    if (latest.isEmpty()) {
      return GateOutcome.fail(List.of("no execution of stage " + stage + " has been recorded"));
    }
    PhaseExecution execution = latest.get();
    if (!execution.stage().equals(stage)) {
      throw new IllegalArgumentException(
          "execution " + execution.ref() + " is not an execution of stage " + stage);
    }
    List<String> reasons = new ArrayList<>();
    statusReason(execution).ifPresent(reasons::add);
    if (errorIssues > 0) {
      reasons.add(
          errorIssues
              + " ERROR issue"
              + (errorIssues == 1 ? " is" : "s are")
              + " recorded against "
              + execution.ref());
    }
    return reasons.isEmpty() ? GateOutcome.pass() : GateOutcome.fail(reasons);
  }

  /**
   * Everything needed to debug the gate: the outcome (from {@code counts.get(ERROR)}), the counts
   * with every severity present (0 when absent) and the evidence sorted by {@link #EVIDENCE_ORDER}.
   *
   * @throws IllegalArgumentException when {@code latest} is of another run or stage
   */
  public static GateReport report(
      RunId runId,
      Stage stage,
      Optional<PhaseExecution> latest,
      Map<Severity, Long> counts,
      List<IssueEvidence> evidence) {
    requireNonNull(runId, "runId is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(evidence, "evidence is null");
    latest.ifPresent(
        e -> {
          if (!e.runId().equals(runId)) {
            throw new IllegalArgumentException("execution of " + e.runId() + " is not of " + runId);
          }
        });
    Map<Severity, Long> allCounts = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      allCounts.put(severity, counts.getOrDefault(severity, 0L));
    }
    GateOutcome outcome = evaluate(stage, latest, allCounts.get(Severity.ERROR));
    List<IssueEvidence> sorted = evidence.stream().sorted(EVIDENCE_ORDER).toList();
    return new GateReport(runId, stage, latest.orElse(null), outcome, allCounts, sorted);
  }

  private static Optional<String> statusReason(PhaseExecution execution) {
    ExecutionStatus status = execution.status();
    String ref = "the latest execution " + execution.ref();
    return switch (status) {
      case SUCCEEDED -> Optional.empty();
      case RUNNING -> Optional.of(ref + " is still RUNNING; finish it first");
      case FAILED ->
          Optional.of(
              ref
                  + " FAILED"
                  + execution.errorText().map(error -> ": " + error).orElse("")
                  + "; run the stage again");
      case GATE_FAILED ->
          Optional.of(
              ref
                  + " finished GATE_FAILED"
                  + execution.errorText().map(error -> ": " + error).orElse("")
                  + "; fix the issues and run the stage again");
    };
  }

  static int compareLocations(IssueLocation a, IssueLocation b) {
    Comparator<Integer> nullsLast = Comparator.nullsLast(Comparator.naturalOrder());
    int byLine = nullsLast.compare(a.line(), b.line());
    return byLine != 0 ? byLine : nullsLast.compare(a.column(), b.column());
  }
}
