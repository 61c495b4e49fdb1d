package org.docsgen.store.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.docsgen.store.domain.Fixtures.PHASE1;
import static org.docsgen.store.domain.Fixtures.approval;
import static org.docsgen.store.domain.Fixtures.artifact;
import static org.docsgen.store.domain.Fixtures.finished;
import static org.docsgen.store.domain.Fixtures.hash;
import static org.docsgen.store.domain.Fixtures.path;
import static org.docsgen.store.domain.Fixtures.run;
import static org.docsgen.store.domain.Fixtures.running;

import java.util.Optional;
import org.docsgen.store.domain.Fixtures;
import org.docsgen.store.domain.Refusal;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImmutabilityPolicyTest {
  private static final Run ACTIVE = run(RunStatus.ACTIVE);
  private static final Run BUNDLED = run(RunStatus.BUNDLED);
  private static final ArtifactInfo DOC =
      artifact(path(PHASE1, "docs/overview.md"), ArtifactType.DOCUMENTATION, "v1", 2, Fixtures.T0);

  private static Optional<String> createCode(Run run, PhaseExecution exec, ApprovalEvent approval) {
    return ImmutabilityPolicy.checkCreate(run, PHASE1, exec, approval).map(Refusal::code);
  }

  private static OverwriteDecision overwrite(
      Run run, ArtifactInfo current, PhaseExecution exec, ApprovalEvent approval) {
    return ImmutabilityPolicy.decideOverwrite(new OverwriteFacts(run, current, exec, approval));
  }

  private static String refusedCode(OverwriteDecision decision) {
    assertThat(decision).isInstanceOf(OverwriteDecision.Refused.class);
    return ((OverwriteDecision.Refused) decision).code();
  }

  @Nested
  class Create {
    @Test
    void allowedWhileTheStageRuns() {
      assertThat(createCode(ACTIVE, running(PHASE1, 1), null)).isEmpty();
    }

    @Test
    void refusedWithoutARunningExecution() {
      Optional<Refusal> refusal = ImmutabilityPolicy.checkCreate(ACTIVE, PHASE1, null, null);
      assertThat(refusal).map(Refusal::code).contains("no-running-execution");
      assertThat(refusal.get().reason()).contains("phase1", Fixtures.RUN_ID.toString(), "start");
    }

    @ParameterizedTest
    @EnumSource(names = {"SUCCEEDED", "FAILED", "GATE_FAILED"})
    void aFinishedExecutionIsNotARunningOne(ExecutionStatus status) {
      assertThat(createCode(ACTIVE, finished(PHASE1, 1, status), null))
          .contains("no-running-execution");
    }

    @Test
    void refusedInABundledRunEvenWhileRunning() {
      Optional<Refusal> refusal =
          ImmutabilityPolicy.checkCreate(BUNDLED, PHASE1, running(PHASE1, 1), null);
      assertThat(refusal).map(Refusal::code).contains("run-bundled");
      assertThat(refusal.get().reason()).contains(Fixtures.RUN_ID.toString(), "bundled");
    }

    @Test
    void refusedInAnApprovedStageEvenWhileRunning() {
      Optional<Refusal> refusal =
          ImmutabilityPolicy.checkCreate(
              ACTIVE, PHASE1, running(PHASE1, 2), approval(PHASE1, ApprovalDecision.APPROVED));
      assertThat(refusal).map(Refusal::code).contains("stage-approved");
      assertThat(refusal.get().reason()).contains("phase1", "bob", "revoke");
    }

    @ParameterizedTest
    @EnumSource(names = {"REJECTED", "REVOKED"})
    void aLaterRejectionOrRevocationLiftsTheApproval(ApprovalDecision latest) {
      assertThat(createCode(ACTIVE, running(PHASE1, 2), approval(PHASE1, latest))).isEmpty();
    }

    @Test
    void bundledIsReportedBeforeApprovedAndApprovedBeforeNotRunning() {
      ApprovalEvent approved = approval(PHASE1, ApprovalDecision.APPROVED);
      assertThat(createCode(BUNDLED, null, approved)).contains("run-bundled");
      assertThat(createCode(ACTIVE, null, approved)).contains("stage-approved");
    }

    @Test
    void factsFromAnotherStageAreACallerBug() {
      assertThatThrownBy(
              () -> ImmutabilityPolicy.checkCreate(ACTIVE, PHASE1, running(Stage.FINAL, 1), null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () ->
                  ImmutabilityPolicy.checkCreate(
                      ACTIVE, PHASE1, null, approval(Stage.FINAL, ApprovalDecision.APPROVED)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Overwrite {
    @Test
    void allowedForAStageBeingReExecutedAndBoundToTheCurrentVersion() {
      OverwriteDecision decision = overwrite(ACTIVE, DOC, running(PHASE1, 2), null);
      assertThat(decision).isEqualTo(new OverwriteDecision.Allowed(DOC.version()));
    }

    @Test
    void refusedWithoutARunningExecution() {
      assertThat(refusedCode(overwrite(ACTIVE, DOC, null, null))).isEqualTo("no-running-execution");
      assertThat(
              refusedCode(
                  overwrite(ACTIVE, DOC, finished(PHASE1, 1, ExecutionStatus.FAILED), null)))
          .isEqualTo("no-running-execution");
    }

    @Test
    void refusedInAnApprovedStage() {
      OverwriteDecision decision =
          overwrite(ACTIVE, DOC, running(PHASE1, 2), approval(PHASE1, ApprovalDecision.APPROVED));
      assertThat(refusedCode(decision)).isEqualTo("stage-approved");
    }

    @ParameterizedTest
    @EnumSource(names = {"REJECTED", "REVOKED"})
    void allowedOnceTheApprovalIsLifted(ApprovalDecision latest) {
      assertThat(overwrite(ACTIVE, DOC, running(PHASE1, 2), approval(PHASE1, latest)))
          .isInstanceOf(OverwriteDecision.Allowed.class);
    }

    @Test
    void refusedInABundledRun() {
      assertThat(refusedCode(overwrite(BUNDLED, DOC, running(PHASE1, 2), null)))
          .isEqualTo("run-bundled");
    }

    @Test
    void aBundleIsNeverOverwrittenWhateverElseHolds() {
      ArtifactInfo bundle =
          artifact(
              BundlePlanner.bundlePath(Fixtures.RUN_ID),
              ArtifactType.BUNDLE,
              "zip",
              1,
              Fixtures.T0);
      OverwriteDecision decision = overwrite(ACTIVE, bundle, running(Stage.FINAL, 3), null);
      assertThat(refusedCode(decision)).isEqualTo("bundle-immutable");
      assertThat(((OverwriteDecision.Refused) decision).reason())
          .contains(bundle.path().toString());
      assertThat(refusedCode(overwrite(BUNDLED, bundle, null, null))).isEqualTo("bundle-immutable");
    }

    @Test
    void aBundleTypedArtifactElsewhereIsImmutableToo() {
      ArtifactInfo odd =
          artifact(path(PHASE1, "copy.zip"), ArtifactType.BUNDLE, "z", 1, Fixtures.T0);
      assertThat(refusedCode(overwrite(ACTIVE, odd, running(PHASE1, 1), null)))
          .isEqualTo("bundle-immutable");
    }

    @Test
    void theBundleAndAttestationPathsAreImmutableWhateverTheirType() {
      for (var p :
          new org.docsgen.store.domain.artifact.LogicalPath[] {
            BundlePlanner.bundlePath(Fixtures.RUN_ID),
            BundlePlanner.attestationPath(Fixtures.RUN_ID)
          }) {
        ArtifactInfo mistyped = artifact(p, ArtifactType.OTHER, "x", 1, Fixtures.T0);
        assertThat(refusedCode(overwrite(ACTIVE, mistyped, running(Stage.FINAL, 1), null)))
            .isEqualTo("bundle-immutable");
      }
    }

    @Test
    void theRefusalConvertsToARefusal() {
      var refused = (OverwriteDecision.Refused) overwrite(ACTIVE, DOC, null, null);
      assertThat(refused.refusal()).isEqualTo(new Refusal(refused.code(), refused.reason()));
    }

    @Test
    void anArtifactOfAnotherRunIsACallerBug() {
      Run other = run(Fixtures.OTHER_RUN_ID, RunStatus.ACTIVE, ACTIVE.coreFiles(), false);
      assertThatThrownBy(() -> overwrite(other, DOC, null, null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Idempotence {
    @Test
    void identicalBytesAreARetryNotAnOverwrite() {
      assertThat(ImmutabilityPolicy.isIdempotentRewrite(DOC, hash("v1"))).isTrue();
      assertThat(ImmutabilityPolicy.isIdempotentRewrite(DOC, hash("v2"))).isFalse();
    }
  }

  @Test
  void isApprovedLooksOnlyAtTheLatestEvent() {
    assertThat(ImmutabilityPolicy.isApproved(null)).isFalse();
    assertThat(ImmutabilityPolicy.isApproved(approval(PHASE1, ApprovalDecision.APPROVED))).isTrue();
    assertThat(ImmutabilityPolicy.isApproved(approval(PHASE1, ApprovalDecision.REVOKED))).isFalse();
    assertThat(ImmutabilityPolicy.isApproved(approval(PHASE1, ApprovalDecision.REJECTED)))
        .isFalse();
  }

  @Nested
  class Commit {
    private Optional<String> commitCode(Run run, PhaseExecution exec, ApprovalEvent approval) {
      return ImmutabilityPolicy.checkCommit(run, exec, approval).map(Refusal::code);
    }

    @Test
    void allowedWhileTheAttributedExecutionRuns() {
      assertThat(commitCode(ACTIVE, running(PHASE1, 1), null)).isEmpty();
      assertThat(commitCode(ACTIVE, running(PHASE1, 1), approval(PHASE1, ApprovalDecision.REVOKED)))
          .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
        value = ExecutionStatus.class,
        names = {"SUCCEEDED", "FAILED", "GATE_FAILED"})
    void refusedOnceTheAttributedExecutionFinished(ExecutionStatus status) {
      Optional<Refusal> refusal =
          ImmutabilityPolicy.checkCommit(ACTIVE, finished(PHASE1, 1, status), null);

      assertThat(refusal.map(Refusal::code)).contains(ImmutabilityPolicy.EXECUTION_FINISHED);
      assertThat(refusal.orElseThrow().reason()).contains(status.name()).contains("phase1@1");
    }

    @Test
    void theRunBundledComesFirstThenTheStageApproved() {
      ApprovalEvent approved = approval(PHASE1, ApprovalDecision.APPROVED);
      PhaseExecution done = finished(PHASE1, 1, ExecutionStatus.SUCCEEDED);

      assertThat(commitCode(BUNDLED, done, approved)).contains(ImmutabilityPolicy.RUN_BUNDLED);
      assertThat(commitCode(BUNDLED, running(PHASE1, 1), null))
          .contains(ImmutabilityPolicy.RUN_BUNDLED);
      assertThat(commitCode(ACTIVE, done, approved)).contains(ImmutabilityPolicy.STAGE_APPROVED);
      assertThat(commitCode(ACTIVE, running(PHASE1, 2), approved))
          .contains(ImmutabilityPolicy.STAGE_APPROVED);
    }

    @Test
    void factsOfAnotherStageAreACallerBug() {
      assertThatThrownBy(
              () ->
                  ImmutabilityPolicy.checkCommit(
                      ACTIVE,
                      running(PHASE1, 1),
                      approval(Stage.phase(2), ApprovalDecision.APPROVED)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
