package org.docsgen.store.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.diff.ArtifactChange;
import org.docsgen.store.domain.diff.DiffLimits;
import org.docsgen.store.domain.diff.DiffReport;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.in.IssueUseCases.NewIssue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiffServiceTest extends ServiceFixture {
  RunId run;
  LogicalPath keep;
  LogicalPath change;
  LogicalPath gone;
  LogicalPath image;

  @BeforeEach
  void setUp() {
    run = newRun().runId();
    Stage p1 = Stage.phase(1);
    keep = path(run, p1, "keep.md");
    change = path(run, p1, "change.md");
    gone = path(run, p1, "gone.md");
    image = path(run, p1, "img.png");
    PhaseExecution first = start(run, p1);
    write(keep, "same\n");
    write(change, "line 1\nline 2\nline 3\n");
    write(gone, "bye\n");
    writeBinary(image, new byte[] {1, 2, 3});
    services.record(
        run,
        List.of(
            issue(1, change, "FIXED", "will be fixed at line 2"),
            issue(1, keep, "STAYS", "persists at line 1")),
        "v");
    finish(first, ExecutionStatus.GATE_FAILED);
    start(run, p1);
    write(keep, "same\n");
    write(
        withToken(doc(change), services.requestOverwriteToken(change, "w").token()),
        "line 1\nline two\nline 3\n");
    writeBinary2(image, new byte[] {4, 5, 6});
    write(path(run, p1, "added.md"), "new\n");
    services.record(
        run,
        List.of(
            issue(2, keep, "STAYS", "persists at line 7"), issue(2, change, "NEW", "a new one")),
        "v");
  }

  private void writeBinary(LogicalPath p, byte[] bytes) {
    services.write(
        new WriteCommand(p, ArtifactType.OTHER, "image/png", "w", false, null, 0),
        new ByteArrayInputStream(bytes));
  }

  private void writeBinary2(LogicalPath p, byte[] bytes) {
    services.write(
        new WriteCommand(
            p,
            ArtifactType.OTHER,
            "image/png",
            "w",
            false,
            services.requestOverwriteToken(p, "w").token(),
            0),
        new ByteArrayInputStream(bytes));
  }

  private static NewIssue issue(int attempt, LogicalPath file, String rule, String message) {
    return new NewIssue(
        Stage.phase(1), attempt, file, rule, Severity.WARNING, message, IssueLocation.line(1), "v");
  }

  @Test
  void twoExecutionsOfAStageDiffByName() {
    DiffReport report = services.diff(run, "phase1@1", "phase1@2");

    assertThat(report.from()).isEqualTo("phase1@1");
    assertThat(report.changes())
        .extracting(c -> c.key() + " " + c.kind())
        .containsExactly(
            "added.md ADDED", "change.md MODIFIED", "gone.md REMOVED", "img.png MODIFIED");
    ArtifactChange modified = report.changes().get(1);
    assertThat(modified.from().generation()).isEqualTo(1);
    assertThat(modified.to().generation()).isEqualTo(2);
    assertThat(modified.unifiedDiff())
        .contains("--- phase1@1/change.md")
        .contains("+++ phase1@2/change.md")
        .contains("-line 2\n+line two\n");
    assertThat(report.changes().get(3).unifiedDiff()).isNull();
    assertThat(report.newIssues()).extracting(ValidationIssue::rule).containsExactly("NEW");
    assertThat(report.fixedIssues()).extracting(ValidationIssue::rule).containsExactly("FIXED");
    assertThat(report.persistingIssues())
        .extracting(ValidationIssue::rule)
        .containsExactly("STAYS");
  }

  @Test
  void twoRunsDiffByStageAndName() {
    RunId other = newRun().runId();
    start(other, Stage.phase(1));
    write(path(other, Stage.phase(1), "keep.md"), "same\n");
    write(path(other, Stage.phase(1), "change.md"), "line 1\nline 2\nline 3\n");

    DiffReport report = services.diff(run, other.toString(), run.toString());

    assertThat(report.changes())
        .extracting(c -> c.key() + " " + c.kind())
        .containsExactly(
            "phase1/added.md ADDED",
            "phase1/change.md MODIFIED",
            "phase1/gone.md ADDED",
            "phase1/img.png ADDED");
    assertThat(report.newIssues())
        .extracting(ValidationIssue::rule)
        .containsExactlyInAnyOrder("NEW", "STAYS");
  }

  @Test
  void largeTextGetsNoUnifiedDiff() {
    PhaseExecution third = start(run, Stage.FINAL);
    LogicalPath big = path(run, Stage.FINAL, "big.md");
    String large = "x".repeat((int) DiffLimits.DEFAULT_MAX_TEXT_BYTES) + "\n";
    write(big, large);
    finish(third, ExecutionStatus.SUCCEEDED);
    start(run, Stage.FINAL);
    write(withToken(doc(big), services.requestOverwriteToken(big, "w").token()), large + "y\n");

    DiffReport report = services.diff(run, "final@1", "final@2");

    assertThat(report.changes())
        .singleElement()
        .satisfies(c -> assertThat(c.unifiedDiff()).isNull())
        .satisfies(c -> assertThat(c.diffOmitted()).isEqualTo(ArtifactChange.Omission.TOO_LARGE));
  }

  @Test
  void mixingAnExecutionAndARunOrNamingUnknownOnesIsRefused() {
    assertThatThrownBy(() -> services.diff(run, "phase1@1", run.toString()))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> services.diff(run, "phase1@1", "phase1@9"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("phase1@9");
    assertThatThrownBy(() -> services.diff(run, run.toString(), "run_2026_11_28_0099"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> services.diff(run, "phase1", "phase1@2"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
