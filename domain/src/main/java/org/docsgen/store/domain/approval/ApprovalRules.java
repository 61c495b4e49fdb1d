package org.docsgen.store.domain.approval;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.docsgen.store.domain.Refusal;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;

/**
 * When an approval decision makes sense.
 *
 * <ul>
 *   <li>{@code APPROVED} and {@code REJECTED} judge finished work: the stage's latest execution
 *       must exist and have SUCCEEDED, else {@value #NOTHING_TO_APPROVE}. Approving an already
 *       approved stage again is allowed (a second approver; the log is append-only).
 *   <li>{@code REVOKED} withdraws an approval in force: the stage's latest event must be {@code
 *       APPROVED}, else {@value #NOT_APPROVED}.
 * </ul>
 */
public final class ApprovalRules {
  public static final String NOTHING_TO_APPROVE = "nothing-to-approve";
  public static final String NOT_APPROVED = "not-approved";

  private ApprovalRules() {}

  /**
   * Empty when {@code decision} may be recorded now, else why not.
   *
   * @param latestOrNull the stage's latest approval event, or null
   * @param latestExecution the stage's latest execution (highest attempt, any status)
   */
  public static Optional<Refusal> check(
      ApprovalDecision decision,
      ApprovalEvent latestOrNull,
      Optional<PhaseExecution> latestExecution) {
    requireNonNull(decision, "decision is null");
    requireNonNull(latestExecution, "latestExecution is null");
    if (decision == ApprovalDecision.REVOKED) {
      return latestOrNull != null && latestOrNull.decision() == ApprovalDecision.APPROVED
          ? Optional.empty()
          : Optional.of(notApproved(latestOrNull));
    }
    return latestExecution.filter(e -> e.status() == ExecutionStatus.SUCCEEDED).isPresent()
        ? Optional.empty()
        : Optional.of(nothingToApprove(decision, latestExecution));
  }

  private static Refusal notApproved(ApprovalEvent latestOrNull) {
    String state =
        latestOrNull == null
            ? "the stage has no approval"
            : "the stage's latest decision is " + latestOrNull.decision();
    return new Refusal(NOT_APPROVED, "only an approval in force can be revoked; " + state);
  }

  private static Refusal nothingToApprove(
      ApprovalDecision decision, Optional<PhaseExecution> latest) {
    String state =
        latest
            .map(e -> "the latest execution " + e.ref() + " is " + e.status())
            .orElse("the stage has no execution");
    return new Refusal(
        NOTHING_TO_APPROVE,
        decision + " needs a finished, SUCCEEDED latest execution of the stage; " + state);
  }
}
