package org.docsgen.store.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.GateReport;
import org.docsgen.store.domain.gate.IssueEvidence;
import org.docsgen.store.domain.issue.Fingerprint;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.IssueUseCases.NewIssue;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.PageRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IssueAndGateServiceTest extends ServiceFixture {
  RunId run;
  PhaseExecution draft;
  ArtifactInfo a1;
  ArtifactInfo a2;
  ArtifactInfo b;

  @BeforeEach
  void setUp() {
    run = newRun().runId();
    draft = start(run, Stage.phase(1));
    LogicalPath a = path(run, Stage.phase(1), "a.md");
    a1 = write(a, "a one").info();
    a2 = write(withToken(doc(a), services.requestOverwriteToken(a, "w").token()), "a two").info();
    b = write(path(run, Stage.phase(1), "b.md"), "b").info();
  }

  private NewIssue issue(
      Stage stage, int attempt, ArtifactInfo file, String rule, Severity s, Integer line) {
    return new NewIssue(
        stage,
        attempt,
        file.path(),
        rule,
        s,
        rule + " at line " + line,
        line == null ? IssueLocation.none() : IssueLocation.line(line),
        "lint");
  }

  @Test
  void recordTiesEachIssueToTheLatestIndexedGenerationAndFingerprintsIt() {
    List<ValidationIssue> recorded =
        services.record(
            run,
            List.of(
                issue(Stage.phase(1), 1, a2, "MD001", Severity.ERROR, 12),
                issue(Stage.phase(1), 1, b, "LINK", Severity.WARNING, null)),
            "validator");

    assertThat(recorded).hasSize(2);
    ValidationIssue first = recorded.get(0);
    assertThat(first.id()).isPositive();
    assertThat(first.generation()).isEqualTo(2);
    assertThat(first.fingerprint())
        .isEqualTo(Fingerprint.of("MD001", a2.path(), "MD001 at line 99"));
    assertThat(first.link()).isEqualTo("/api/artifacts/" + a2.path() + "?generation=2&lines=12-12");
    assertThat(recorded.get(1).generation()).isEqualTo(1);
    assertThat(services.query(IssueQuery.all(run), PageRequest.first()).items())
        .containsExactlyElementsOf(recorded);
  }

  @Test
  void recordIsAllOrNoneAndRefusesUnknownExecutionsAndFiles() {
    NewIssue good = issue(Stage.phase(1), 1, b, "R", Severity.INFO, 1);
    LogicalPath never = path(run, Stage.phase(1), "never.md");
    LogicalPath otherRun = path(newRun().runId(), Stage.phase(1), "b.md");

    assertThatThrownBy(
            () ->
                services.record(
                    run, List.of(good, issue(Stage.phase(1), 2, b, "R", Severity.INFO, 1)), "v"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("phase1@2");
    assertThatThrownBy(
            () ->
                services.record(
                    run,
                    List.of(
                        good,
                        new NewIssue(
                            Stage.phase(1),
                            1,
                            never,
                            "R",
                            Severity.INFO,
                            "m",
                            IssueLocation.none(),
                            "v")),
                    "v"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("file"))
        .hasMessageContaining(never.toString());
    assertThatThrownBy(
            () ->
                services.record(
                    run,
                    List.of(
                        new NewIssue(
                            Stage.phase(1),
                            1,
                            otherRun,
                            "R",
                            Severity.INFO,
                            "m",
                            IssueLocation.none(),
                            "v")),
                    "v"))
        .isInstanceOf(InvalidInputException.class);
    assertThat(services.query(IssueQuery.all(run), PageRequest.first()).items()).isEmpty();
    assertThatThrownBy(() -> services.record(RunId.parse("run_2026_11_28_0077"), List.of(), "v"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void queriesFilterAndCountBySeverity() {
    finish(draft, ExecutionStatus.GATE_FAILED);
    start(run, Stage.phase(1));
    List<ValidationIssue> r =
        services.record(
            run,
            List.of(
                issue(Stage.phase(1), 1, a2, "MD001", Severity.ERROR, 1),
                issue(Stage.phase(1), 1, b, "MD001", Severity.WARNING, 2),
                issue(Stage.phase(1), 2, a2, "LINK", Severity.ERROR, 3)),
            "v");
    IssueQuery all = IssueQuery.all(run);

    assertThat(services.query(all.withFile(a2.path()), PageRequest.first()).items())
        .containsExactly(r.get(0), r.get(2));
    assertThat(
            services
                .query(all.withRule("MD001").withSeverity(Severity.WARNING), PageRequest.first())
                .items())
        .containsExactly(r.get(1));
    assertThat(services.query(all.ofExecution(Stage.phase(1), 2), PageRequest.first()).items())
        .containsExactly(r.get(2));
    assertThat(services.countBySeverity(all))
        .isEqualTo(Map.of(Severity.ERROR, 2L, Severity.WARNING, 1L, Severity.INFO, 0L));
    assertThat(services.query(all, PageRequest.first(2)).nextCursor()).isNotNull();
  }

  @Test
  void aStageWithoutExecutionsHasAFailingGate() {
    GateReport report = services.explain(run, Stage.FINAL);

    assertThat(report.outcome().passed()).isFalse();
    assertThat(report.execution()).isNull();
    assertThat(report.issueCounts()).containsEntry(Severity.ERROR, 0L);
    assertThat(report.evidence()).isEmpty();
  }

  @Test
  void aFailedGateIsExplainedWithEachIssuesVersionAndProducer() {
    services.record(
        run,
        List.of(
            issue(Stage.phase(1), 1, b, "W", Severity.WARNING, 5),
            issue(Stage.phase(1), 1, a2, "E", Severity.ERROR, 9),
            issue(Stage.phase(1), 1, a2, "I", Severity.INFO, 1)),
        "v");
    finish(draft, ExecutionStatus.GATE_FAILED);

    GateReport report = services.explain(run, Stage.phase(1));

    assertThat(report.outcome().passed()).isFalse();
    assertThat(report.outcome().failing()).hasSize(2);
    assertThat(report.execution().ref()).isEqualTo(draft.ref());
    assertThat(report.issueCounts())
        .isEqualTo(Map.of(Severity.ERROR, 1L, Severity.WARNING, 1L, Severity.INFO, 1L));
    assertThat(report.evidence()).extracting(e -> e.issue().rule()).containsExactly("E", "W", "I");
    IssueEvidence error = report.evidence().get(0);
    assertThat(error.artifact()).isEqualTo(a2);
    assertThat(error.producedBy()).isEqualTo(draft.ref());
  }

  @Test
  void aSucceededExecutionWithOnlyWarningsPasses() {
    services.record(run, List.of(issue(Stage.phase(1), 1, b, "W", Severity.WARNING, 5)), "v");
    finish(draft, ExecutionStatus.SUCCEEDED);

    GateReport report = services.explain(run, Stage.phase(1));

    assertThat(report.outcome().passed()).isTrue();
    assertThat(report.evidence()).hasSize(1);
  }

  @Test
  void aNewAttemptRevalidates() {
    services.record(run, List.of(issue(Stage.phase(1), 1, a2, "E", Severity.ERROR, 1)), "v");
    finish(draft, ExecutionStatus.GATE_FAILED);
    finish(start(run, Stage.phase(1)), ExecutionStatus.SUCCEEDED);

    GateReport report = services.explain(run, Stage.phase(1));

    assertThat(report.outcome().passed()).isTrue();
    assertThat(report.execution().attempt()).isEqualTo(2);
    assertThat(report.issueCounts()).containsEntry(Severity.ERROR, 0L);
  }
}
