package org.docsgen.store.domain.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.domain.Fixtures.PHASE1;
import static org.docsgen.store.domain.Fixtures.approval;
import static org.docsgen.store.domain.Fixtures.finished;
import static org.docsgen.store.domain.Fixtures.running;

import java.util.Optional;
import org.docsgen.store.domain.Refusal;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApprovalRulesTest {
  private static final Optional<PhaseExecution> SUCCEEDED =
      Optional.of(finished(PHASE1, 2, ExecutionStatus.SUCCEEDED));

  private static Optional<String> code(
      ApprovalDecision decision, ApprovalEvent latest, Optional<PhaseExecution> execution) {
    return ApprovalRules.check(decision, latest, execution).map(Refusal::code);
  }

  @ParameterizedTest
  @EnumSource(names = {"APPROVED", "REJECTED"})
  void judgingNeedsASucceededLatestExecution(ApprovalDecision decision) {
    assertThat(code(decision, null, SUCCEEDED)).isEmpty();
    assertThat(code(decision, null, Optional.empty())).contains("nothing-to-approve");
    assertThat(code(decision, null, Optional.of(running(PHASE1, 3))))
        .contains("nothing-to-approve");
    assertThat(code(decision, null, Optional.of(finished(PHASE1, 3, ExecutionStatus.FAILED))))
        .contains("nothing-to-approve");
    assertThat(code(decision, null, Optional.of(finished(PHASE1, 3, ExecutionStatus.GATE_FAILED))))
        .contains("nothing-to-approve");
  }

  @Test
  void theRefusalSaysWhatTheLatestExecutionIs() {
    assertThat(
            ApprovalRules.check(ApprovalDecision.APPROVED, null, Optional.of(running(PHASE1, 3))))
        .get()
        .extracting(Refusal::reason)
        .asString()
        .contains("phase1@3", "RUNNING");
    assertThat(ApprovalRules.check(ApprovalDecision.APPROVED, null, Optional.empty()))
        .get()
        .extracting(Refusal::reason)
        .asString()
        .contains("no execution");
  }

  @ParameterizedTest
  @EnumSource(ApprovalDecision.class)
  void judgingAfterAnyEarlierDecisionIsAllowed(ApprovalDecision earlier) {
    assertThat(code(ApprovalDecision.APPROVED, approval(PHASE1, earlier), SUCCEEDED)).isEmpty();
    assertThat(code(ApprovalDecision.REJECTED, approval(PHASE1, earlier), SUCCEEDED)).isEmpty();
  }

  @Test
  void revokingNeedsAnApprovalInForce() {
    assertThat(
            code(
                ApprovalDecision.REVOKED,
                approval(PHASE1, ApprovalDecision.APPROVED),
                Optional.empty()))
        .isEmpty();
    assertThat(code(ApprovalDecision.REVOKED, null, SUCCEEDED)).contains("not-approved");
    assertThat(
            code(ApprovalDecision.REVOKED, approval(PHASE1, ApprovalDecision.REVOKED), SUCCEEDED))
        .contains("not-approved");
    assertThat(
            code(ApprovalDecision.REVOKED, approval(PHASE1, ApprovalDecision.REJECTED), SUCCEEDED))
        .contains("not-approved");
    assertThat(
            ApprovalRules.check(
                ApprovalDecision.REVOKED, approval(PHASE1, ApprovalDecision.REJECTED), SUCCEEDED))
        .get()
        .extracting(Refusal::reason)
        .asString()
        .contains("REJECTED");
  }
}
