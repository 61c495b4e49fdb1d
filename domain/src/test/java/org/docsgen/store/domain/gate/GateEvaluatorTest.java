package org.docsgen.store.domain.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.docsgen.store.domain.Fixtures.RUN_ID;
import static org.docsgen.store.domain.Fixtures.T0;
import static org.docsgen.store.domain.Fixtures.finished;
import static org.docsgen.store.domain.Fixtures.issue;
import static org.docsgen.store.domain.Fixtures.path;
import static org.docsgen.store.domain.Fixtures.running;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.Fixtures;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.Test;

class GateEvaluatorTest {
  private static final Stage FINAL = Stage.FINAL;

  private static GateOutcome evaluate(PhaseExecution latest, long errors) {
    return GateEvaluator.evaluate(FINAL, Optional.ofNullable(latest), errors);
  }

  @Test
  void passesWhenTheLatestExecutionSucceededWithoutErrors() {
    assertThat(evaluate(finished(FINAL, 1, ExecutionStatus.SUCCEEDED), 0))
        .isEqualTo(GateOutcome.pass());
  }

  @Test
  void failsWithoutAnyExecution() {
    GateOutcome outcome = evaluate(null, 0);
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.failing()).singleElement().asString().contains("no execution", "final");
  }

  @Test
  void failsWhileRunning() {
    assertThat(evaluate(running(FINAL, 2), 0).failing())
        .singleElement()
        .asString()
        .contains("final@2", "RUNNING");
  }

  @Test
  void failsWhenFailedAndQuotesTheError() {
    PhaseExecution failed =
        running(FINAL, 1).finish(ExecutionStatus.FAILED, "validator crashed", T0);
    assertThat(evaluate(failed, 0).failing())
        .singleElement()
        .asString()
        .contains("final@1", "FAILED", "validator crashed");
  }

  @Test
  void failsWhenGateFailed() {
    assertThat(evaluate(finished(FINAL, 3, ExecutionStatus.GATE_FAILED), 0).failing())
        .singleElement()
        .asString()
        .contains("final@3", "GATE_FAILED");
  }

  @Test
  void failsWithErrorIssuesEvenWhenSucceeded() {
    assertThat(evaluate(finished(FINAL, 1, ExecutionStatus.SUCCEEDED), 1).failing())
        .containsExactly("1 ERROR issue is recorded against final@1");
    assertThat(evaluate(finished(FINAL, 1, ExecutionStatus.SUCCEEDED), 4).failing())
        .containsExactly("4 ERROR issues are recorded against final@1");
  }

  @Test
  void listsEveryReasonThatApplies() {
    assertThat(evaluate(finished(FINAL, 2, ExecutionStatus.GATE_FAILED), 3).failing()).hasSize(2);
  }

  @Test
  void refusesNonsenseInput() {
    assertThatThrownBy(() -> evaluate(null, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> GateEvaluator.evaluate(Stage.phase(1), Optional.of(running(FINAL, 1)), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void warningsDoNotFailTheReport() {
    PhaseExecution ok = finished(FINAL, 1, ExecutionStatus.SUCCEEDED);
    GateReport report =
        GateEvaluator.report(
            RUN_ID,
            FINAL,
            Optional.of(ok),
            Map.of(Severity.WARNING, 7L, Severity.INFO, 2L),
            List.of());
    assertThat(report.outcome().passed()).isTrue();
    assertThat(report.issueCounts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Severity.ERROR, 0L, Severity.WARNING, 7L, Severity.INFO, 2L));
    assertThat(report.execution()).isEqualTo(ok);
  }

  @Test
  void reportFailsOnErrorsAndSortsEvidence() {
    var a = path(FINAL, "a.md");
    var b = path(FINAL, "b.md");
    ValidationIssue infoA = issue(1, a, "r", Severity.INFO, "i", 1);
    ValidationIssue warnA = issue(2, a, "r", Severity.WARNING, "w", 1);
    ValidationIssue errB1 = issue(3, b, "r", Severity.ERROR, "e", 1);
    ValidationIssue errA9 = issue(4, a, "r", Severity.ERROR, "e", 9);
    ValidationIssue errA2 = issue(5, a, "r", Severity.ERROR, "e", 2);
    ValidationIssue errANoLine = issue(6, a, "r", Severity.ERROR, "e", null);
    List<IssueEvidence> evidence =
        List.of(infoA, warnA, errB1, errA9, errA2, errANoLine).stream()
            .map(i -> new IssueEvidence(i, null, null))
            .toList();
    GateReport report =
        GateEvaluator.report(
            RUN_ID,
            FINAL,
            Optional.of(finished(FINAL, 1, ExecutionStatus.SUCCEEDED)),
            Map.of(Severity.ERROR, 4L),
            evidence);
    assertThat(report.outcome().failing())
        .containsExactly("4 ERROR issues are recorded against final@1");
    assertThat(report.evidence())
        .extracting(e -> e.issue().id())
        .containsExactly(5L, 4L, 6L, 3L, 2L, 1L);
  }

  @Test
  void reportWithoutExecution() {
    GateReport report = GateEvaluator.report(RUN_ID, FINAL, Optional.empty(), Map.of(), List.of());
    assertThat(report.execution()).isNull();
    assertThat(report.outcome().passed()).isFalse();
  }

  @Test
  void reportRefusesAnExecutionOfAnotherRun() {
    PhaseExecution other =
        PhaseExecution.started(
            new org.docsgen.store.domain.execution.ExecutionRef(Fixtures.OTHER_RUN_ID, FINAL, 1),
            "x",
            T0);
    assertThatThrownBy(
            () -> GateEvaluator.report(RUN_ID, FINAL, Optional.of(other), Map.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
