package org.docsgen.store.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.in.ExecutionUseCases.ExecutionDetails;
import org.docsgen.store.ports.in.IssueUseCases.NewIssue;
import org.docsgen.store.ports.out.PageRequest;
import org.junit.jupiter.api.Test;

class RunAndExecutionServiceTest extends ServiceFixture {

  @Test
  void createRunAllocatesTodaysNextIdWithTheStandardCoreSetByDefault() {
    Run first = services.createRun("alice", null, true);
    Run second = services.createRun("bob", List.of("docsgen.md", "api.md"), false);

    assertThat(first.runId()).isEqualTo(RunId.of(LocalDate.of(2026, 11, 28), 1));
    assertThat(first.coreFiles()).isEqualTo(CoreFileSet.standard());
    assertThat(first.bundleReadme()).isTrue();
    assertThat(first.createdBy()).isEqualTo("alice");
    assertThat(first.createdAt()).isEqualTo(clock.instant());
    assertThat(first.status()).isEqualTo(RunStatus.ACTIVE);
    assertThat(second.runId().sequence()).isEqualTo(2);
    assertThat(second.coreFiles().names()).containsExactly("api.md", "docsgen.md");
    assertThat(services.getRun(second.runId())).isEqualTo(second);
    assertThat(services.listRuns(PageRequest.first()).items()).containsExactly(second, first);
  }

  @Test
  void runIdsUseTheUtcDateOfTheClock() {
    clock.advance(Duration.ofHours(14)); // 2026-11-29T00:00Z

    assertThat(services.createRun("a", null, false).runId())
        .isEqualTo(RunId.of(LocalDate.of(2026, 11, 29), 1));
  }

  @Test
  void aMalformedCoreFileNameIsInvalid() {
    assertThatThrownBy(() -> services.createRun("a", List.of("docs/a.md"), false))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void anUnknownRunIsNotFound() {
    RunId unknown = RunId.parse("run_2026_11_28_0042");

    assertThatThrownBy(() -> services.getRun(unknown))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.toString());
    assertThatThrownBy(() -> start(unknown, Stage.phase(1))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> services.listExecutions(unknown, Stage.phase(1), PageRequest.first()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void executionsStartFinishAndAreListedByAttempt() {
    RunId run = newRun().runId();
    PhaseExecution first = start(run, Stage.phase(1));
    PhaseExecution failed = finish(first, ExecutionStatus.FAILED);
    PhaseExecution second = start(run, Stage.phase(1));

    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.executor()).isEqualTo("orchestrator");
    assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(failed.finishedAt()).isEqualTo(clock.instant());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(services.listExecutions(run, Stage.phase(1), PageRequest.first()).items())
        .containsExactly(failed, second);
  }

  @Test
  void aSecondStartWhileRunningIsRefused() {
    RunId run = newRun().runId();
    start(run, Stage.phase(1));

    assertThatThrownBy(() -> start(run, Stage.phase(1)))
        .isInstanceOfSatisfying(
            RefusedException.class,
            e -> assertThat(e.code()).isEqualTo("execution-already-running"));
  }

  @Test
  void finishingTwiceOrAsRunningIsRefused() {
    RunId run = newRun().runId();
    PhaseExecution e = start(run, Stage.phase(1));

    assertThatThrownBy(
            () -> services.finish(e.ref(), ExecutionStatus.RUNNING, null, "orchestrator"))
        .isInstanceOf(InvalidInputException.class);
    services.finish(e.ref(), ExecutionStatus.SUCCEEDED, null, "orchestrator");
    assertThatThrownBy(() -> services.finish(e.ref(), ExecutionStatus.FAILED, "x", "orchestrator"))
        .isInstanceOfSatisfying(
            RefusedException.class, r -> assertThat(r.code()).isEqualTo("execution-not-running"));
    assertThatThrownBy(
            () ->
                services.finish(
                    new ExecutionRef(run, Stage.phase(1), 7),
                    ExecutionStatus.FAILED,
                    null,
                    "orchestrator"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aBundledRunStartsNoExecution() {
    RunId run = newRun().runId();
    PhaseExecution fin = finish(start(run, Stage.FINAL), ExecutionStatus.SUCCEEDED);
    manifest.recordBundle(BundleServiceTest.fakeBundle(run, fin.ref()));

    assertThatThrownBy(() -> start(run, Stage.phase(4)))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.code()).isEqualTo("run-bundled"));
  }

  @Test
  void executionDetailsHoldOutputsIssueCountsIssuesAndTheGate() {
    RunId run = newRun().runId();
    PhaseExecution e = start(run, Stage.phase(2));
    var a = write(path(run, Stage.phase(2), "a.md"), "a").info();
    services.record(
        run,
        List.of(
            new NewIssue(
                Stage.phase(2),
                1,
                a.path(),
                "R1",
                Severity.ERROR,
                "bad",
                IssueLocation.line(1),
                "v"),
            new NewIssue(
                Stage.phase(2),
                1,
                a.path(),
                "R2",
                Severity.INFO,
                "meh",
                IssueLocation.none(),
                "v")),
        "validator");
    finish(e, ExecutionStatus.SUCCEEDED);

    ExecutionDetails details = services.get(e.ref());

    assertThat(details.execution().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(details.artifacts()).containsExactly(a);
    assertThat(details.issueCounts())
        .containsEntry(Severity.ERROR, 1L)
        .containsEntry(Severity.WARNING, 0L)
        .containsEntry(Severity.INFO, 1L);
    assertThat(details.issues().items()).hasSize(2);
    assertThat(details.gate().passed()).isFalse();
    assertThat(details.gate().failing()).singleElement().asString().contains("ERROR");
    assertThatThrownBy(() -> services.get(new ExecutionRef(run, Stage.phase(2), 2)))
        .isInstanceOf(NotFoundException.class);
  }
}
