package org.docsgen.store.ports.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.approval.ContentDigest;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.junit.jupiter.api.Test;

class ApprovalServiceTest extends RunningPhaseFixture {
  ApprovalServiceTest() {
    super("a.md");
  }

  private static void assertRefused(Runnable r, String code) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void approvingNeedsAFinishedSucceededExecution() {
    assertRefused(
        () -> services.decide(run, Stage.phase(1), ApprovalDecision.APPROVED, "", "boss"),
        "nothing-to-approve");
    finish(exec, ExecutionStatus.FAILED);
    assertRefused(
        () -> services.decide(run, Stage.phase(1), ApprovalDecision.REJECTED, "", "boss"),
        "nothing-to-approve");
  }

  @Test
  void anApprovalRecordsTheDigestOfTheStagesLatestVersions() {
    write(a, "a1");
    ArtifactInfo a2 =
        write(withToken(doc(a), services.requestOverwriteToken(a, "w").token()), "a2").info();
    ArtifactInfo b = write(path(run, Stage.phase(1), "b.md"), "b").info();
    finish(exec, ExecutionStatus.SUCCEEDED);

    ApprovalEvent event =
        services.decide(run, Stage.phase(1), ApprovalDecision.APPROVED, "ship it", "boss");

    assertThat(event.contentDigest())
        .isEqualTo(ContentDigest.of(List.of(a2.version(), b.version())));
    assertThat(event.actor()).isEqualTo("boss");
    assertThat(event.comment()).isEqualTo("ship it");
    assertThat(event.at()).isEqualTo(clock.instant());
  }

  @Test
  void anApprovalFreezesTheStageUntilRevoked() {
    write(a, "a1");
    finish(exec, ExecutionStatus.SUCCEEDED);
    services.decide(run, Stage.phase(1), ApprovalDecision.APPROVED, null, "boss");
    start(run, Stage.phase(1));

    assertThatThrownBy(() -> write(path(run, Stage.phase(1), "new.md"), "x"))
        .isInstanceOf(ImmutableException.class);
    ApprovalEvent revoke =
        services.decide(run, Stage.phase(1), ApprovalDecision.REVOKED, "oops", "boss");

    assertThat(revoke.comment()).isEqualTo("oops");
    assertThat(write(path(run, Stage.phase(1), "new.md"), "x").outcome())
        .isEqualTo(WriteResult.Outcome.CREATED);
    assertThat(services.requestOverwriteToken(a, "w").expected().generation()).isEqualTo(1);
  }

  @Test
  void revokingWhatIsNotApprovedIsRefused() {
    finish(exec, ExecutionStatus.SUCCEEDED);
    assertRefused(
        () -> services.decide(run, Stage.phase(1), ApprovalDecision.REVOKED, "", "boss"),
        "not-approved");
    services.decide(run, Stage.phase(1), ApprovalDecision.REJECTED, "no", "boss");
    assertRefused(
        () -> services.decide(run, Stage.phase(1), ApprovalDecision.REVOKED, "", "boss"),
        "not-approved");
  }

  @Test
  void approvalsAreListedOldestFirstPerStage() {
    finish(exec, ExecutionStatus.SUCCEEDED);
    ApprovalEvent one = services.decide(run, Stage.phase(1), ApprovalDecision.APPROVED, "", "a");
    ApprovalEvent two = services.decide(run, Stage.phase(1), ApprovalDecision.REVOKED, "", "b");
    finish(start(run, Stage.FINAL), ExecutionStatus.SUCCEEDED);
    ApprovalEvent three = services.decide(run, Stage.FINAL, ApprovalDecision.APPROVED, "", "c");

    assertThat(services.listApprovals(run, Optional.empty(), PageRequest.first()).items())
        .containsExactly(one, two, three);
    assertThat(
            services.listApprovals(run, Optional.of(Stage.phase(1)), PageRequest.first()).items())
        .containsExactly(one, two);
  }
}
