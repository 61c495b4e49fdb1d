package org.docsgen.store.domain.policy;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.docsgen.store.domain.Refusal;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.bundle.BundlePlanner;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;

/**
 * Layer 1 of the immutability design: given what the manifest knows, may a stage be written to?
 *
 * <p>The rules, checked in this order (the first that applies is reported):
 *
 * <ol>
 *   <li>a {@code BUNDLE} artifact (or anything at the bundle or attestation path) is never
 *       overwritten: {@value #BUNDLE_IMMUTABLE};
 *   <li>nothing in a {@code BUNDLED} run is written: {@value #RUN_BUNDLED};
 *   <li>nothing in an approved stage is written (the stage's latest approval event is {@code
 *       APPROVED}; a later {@code REJECTED} or {@code REVOKED} lifts it): {@value #STAGE_APPROVED};
 *   <li>a write belongs to the stage's RUNNING execution; with none it is refused: {@value
 *       #NO_RUNNING_EXECUTION}. A stage being re-executed (a new attempt RUNNING) may therefore
 *       rewrite its files.
 * </ol>
 *
 * Writing the same bytes again is not an overwrite: callers test {@link #isIdempotentRewrite} first
 * and answer with the existing version, without asking the policy.
 */
public final class ImmutabilityPolicy {
  public static final String BUNDLE_IMMUTABLE = "bundle-immutable";
  public static final String RUN_BUNDLED = "run-bundled";
  public static final String STAGE_APPROVED = "stage-approved";
  public static final String NO_RUNNING_EXECUTION = "no-running-execution";
  public static final String EXECUTION_FINISHED = "execution-finished";

  private ImmutabilityPolicy() {}

  /**
   * May a NEW path be created in {@code stage} of {@code run}? Empty when allowed, else the refusal
   * ({@value #RUN_BUNDLED}, {@value #STAGE_APPROVED} or {@value #NO_RUNNING_EXECUTION}).
   *
   * @param runningOrNull the stage's RUNNING execution, or null; an execution that is not RUNNING
   *     counts as none
   * @param latestApprovalOrNull the stage's latest approval event, or null
   * @throws IllegalArgumentException when the execution or approval belongs to another run or stage
   */
  public static Optional<Refusal> checkCreate(
      Run run, Stage stage, PhaseExecution runningOrNull, ApprovalEvent latestApprovalOrNull) {
    requireNonNull(run, "run is null");
    requireNonNull(stage, "stage is null");
    checkBelongs(run, stage, runningOrNull, latestApprovalOrNull);
    if (run.status() == RunStatus.BUNDLED) {
      return Optional.of(runBundled(run));
    }
    if (isApproved(latestApprovalOrNull)) {
      return Optional.of(stageApproved(latestApprovalOrNull));
    }
    if (runningOrNull == null || !runningOrNull.isRunning()) {
      return Optional.of(noRunningExecution(run, stage));
    }
    return Optional.empty();
  }

  /**
   * May the current version in {@code facts} be replaced by different bytes? {@link
   * OverwriteDecision.Allowed} carries the version the overwrite must replace (what the overwrite
   * token is bound to); {@link OverwriteDecision.Refused} says why not.
   *
   * @throws IllegalArgumentException when the facts mix runs or stages
   */
  public static OverwriteDecision decideOverwrite(OverwriteFacts facts) {
    requireNonNull(facts, "facts is null");
    ArtifactInfo current = facts.current();
    if (!current.runId().equals(facts.run().runId())) {
      throw new IllegalArgumentException(
          "artifact " + current.path() + " is not in run " + facts.run().runId());
    }
    if (isBundle(current)) {
      return refused(bundleImmutable(current));
    }
    return checkCreate(
            facts.run(), current.stage(), facts.runningExecution(), facts.latestApproval())
        .<OverwriteDecision>map(ImmutabilityPolicy::refused)
        .orElseGet(() -> new OverwriteDecision.Allowed(current.version()));
  }

  /** True when {@code incoming} is exactly the current bytes: a retry, not an overwrite. */
  public static boolean isIdempotentRewrite(ArtifactInfo current, ContentHash incoming) {
    requireNonNull(current, "current is null");
    requireNonNull(incoming, "incoming is null");
    return current.hash().equals(incoming);
  }

  /** True when {@code latestOrNull} is an {@code APPROVED} event (the approval is in force). */
  public static boolean isApproved(ApprovalEvent latestOrNull) {
    return latestOrNull != null && latestOrNull.decision() == ApprovalDecision.APPROVED;
  }

  private static boolean isBundle(ArtifactInfo current) {
    return current.type() == ArtifactType.BUNDLE
        || current.path().equals(BundlePlanner.bundlePath(current.runId()))
        || current.path().equals(BundlePlanner.attestationPath(current.runId()));
  }

  private static void checkBelongs(
      Run run, Stage stage, PhaseExecution execution, ApprovalEvent approval) {
    if (execution != null
        && (!execution.runId().equals(run.runId()) || !execution.stage().equals(stage))) {
      throw new IllegalArgumentException(
          "execution " + execution.runId() + " " + execution.ref() + " is not of " + stage);
    }
    if (approval != null
        && (!approval.runId().equals(run.runId()) || !approval.stage().equals(stage))) {
      throw new IllegalArgumentException(
          "approval of " + approval.runId() + " " + approval.stage() + " is not of " + stage);
    }
  }

  private static OverwriteDecision refused(Refusal refusal) {
    return new OverwriteDecision.Refused(refusal.code(), refusal.reason());
  }

  private static Refusal bundleImmutable(ArtifactInfo current) {
    return new Refusal(
        BUNDLE_IMMUTABLE,
        "the bundle " + current.path() + " is immutable; it is never overwritten");
  }

  private static Refusal runBundled(Run run) {
    return new Refusal(
        RUN_BUNDLED, "run " + run.runId() + " is bundled; nothing in it may be written any more");
  }

  private static Refusal stageApproved(ApprovalEvent approval) {
    return new Refusal(
        STAGE_APPROVED,
        "stage "
            + approval.stage()
            + " of run "
            + approval.runId()
            + " was approved by "
            + approval.actor()
            + " at "
            + approval.at()
            + "; revoke the approval before writing to it");
  }

  private static Refusal noRunningExecution(Run run, Stage stage) {
    return new Refusal(
        NO_RUNNING_EXECUTION,
        "no execution of stage "
            + stage
            + " of run "
            + run.runId()
            + " is running; start one before writing to it");
  }

  /**
   * May a write attributed to {@code writtenBy} (when its request arrived, the stage's RUNNING
   * execution) still be indexed, now that its body has arrived? Asked with the facts as they are at
   * commit, read in the transaction that indexes the write. Empty when it may; else {@value
   * #RUN_BUNDLED}, {@value #STAGE_APPROVED} or {@value #EXECUTION_FINISHED} (in that order): a body
   * that was still streaming when the run was bundled, the stage approved or its execution finished
   * is refused, whatever happened after (a new attempt does not adopt another attempt's write).
   *
   * @param writtenBy the attributed execution as it is now
   * @param latestApprovalOrNull the stage's latest approval event now, or null
   * @throws IllegalArgumentException when the execution or approval belongs to another run or stage
   */
  public static Optional<Refusal> checkCommit(
      Run run, PhaseExecution writtenBy, ApprovalEvent latestApprovalOrNull) {
    requireNonNull(run, "run is null");
    requireNonNull(writtenBy, "writtenBy is null");
    checkBelongs(run, writtenBy.stage(), writtenBy, latestApprovalOrNull);
    if (run.status() == RunStatus.BUNDLED) {
      return Optional.of(runBundled(run));
    }
    if (isApproved(latestApprovalOrNull)) {
      return Optional.of(stageApproved(latestApprovalOrNull));
    }
    if (!writtenBy.isRunning()) {
      return Optional.of(
          new Refusal(
              EXECUTION_FINISHED,
              "execution "
                  + writtenBy.ref()
                  + " of run "
                  + run.runId()
                  + " finished as "
                  + writtenBy.status()
                  + " while the write was still arriving; a finished execution gains no outputs,"
                  + " write it again in a running execution"));
    }
    return Optional.empty();
  }
}
