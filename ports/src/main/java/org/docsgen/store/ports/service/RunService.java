package org.docsgen.store.ports.service;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.approval.ApprovalRules;
import org.docsgen.store.domain.approval.ContentDigest;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.domain.gate.GateEvaluator;
import org.docsgen.store.domain.gate.GateOutcome;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.policy.ImmutabilityPolicy;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.in.ApprovalUseCases;
import org.docsgen.store.ports.in.ExecutionUseCases;
import org.docsgen.store.ports.in.RunUseCases;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;

/** Runs, phase executions and approvals: the manifest's lifecycle records. */
final class RunService implements RunUseCases, ExecutionUseCases, ApprovalUseCases {
  private final ManifestStore manifest;
  private final Clock clock;
  private final Lookups lookups;

  RunService(ManifestStore manifest, Clock clock, Lookups lookups) {
    this.manifest = manifest;
    this.clock = clock;
    this.lookups = lookups;
  }

  // ---- runs

  @Override
  public Run createRun(String actor, List<String> coreFiles, boolean bundleReadme) {
    requireNonNull(actor, "actor is null");
    CoreFileSet core = coreFiles == null ? CoreFileSet.standard() : CoreFileSet.of(coreFiles);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return manifest.createRun(today, actor, clock.instant(), core, bundleReadme);
  }

  @Override
  public Run getRun(RunId runId) {
    return lookups.requireRun(runId);
  }

  @Override
  public Page<Run> listRuns(PageRequest page) {
    return manifest.listRuns(page);
  }

  // ---- executions

  @Override
  public PhaseExecution start(RunId runId, Stage stage, String actor) {
    requireNonNull(stage, "stage is null");
    requireNonNull(actor, "actor is null");
    Run run = lookups.requireRun(runId);
    if (run.status() == RunStatus.BUNDLED) {
      throw new RefusedException(
          ImmutabilityPolicy.RUN_BUNDLED,
          "run " + runId + " is bundled; no stage of it may be executed again");
    }
    return manifest.startExecution(runId, stage, actor, clock.instant());
  }

  @Override
  public PhaseExecution finish(
      ExecutionRef ref, ExecutionStatus status, String error, String actor) {
    requireNonNull(ref, "execution is null");
    requireNonNull(status, "status is null");
    if (!status.isTerminal()) {
      throw new InvalidInputException(
          "status", "an execution finishes as SUCCEEDED, FAILED or GATE_FAILED, not RUNNING");
    }
    lookups.requireRun(ref.runId());
    return manifest.finishExecution(ref, status, error, clock.instant());
  }

  @Override
  public Page<PhaseExecution> listExecutions(RunId runId, Stage stage, PageRequest page) {
    lookups.requireRun(runId);
    return manifest.listExecutions(runId, Optional.of(stage), page);
  }

  @Override
  public ExecutionDetails get(ExecutionRef ref) {
    PhaseExecution execution = lookups.requireExecution(ref);
    List<ArtifactInfo> artifacts = lookups.outputs(ref);
    Map<Severity, Long> counts = lookups.issueCounts(ref);
    Page<ValidationIssue> issues =
        manifest.findIssues(
            IssueQuery.all(ref.runId()).ofExecution(ref.stage(), ref.attempt()),
            PageRequest.first());
    GateOutcome gate =
        GateEvaluator.evaluate(ref.stage(), Optional.of(execution), counts.get(Severity.ERROR));
    FailingIssues failing = lookups.failingIssues(ref, counts.get(Severity.ERROR));
    return new ExecutionDetails(execution, artifacts, counts, issues, gate, failing);
  }

  // ---- approvals

  @Override
  public ApprovalEvent decide(
      RunId runId, Stage stage, ApprovalDecision decision, String comment, String actor) {
    requireNonNull(stage, "stage is null");
    requireNonNull(decision, "decision is null");
    requireNonNull(actor, "actor is null");
    lookups.requireRun(runId);
    ApprovalEvent latest = manifest.findLatestApproval(runId, stage).orElse(null);
    Optional<PhaseExecution> latestExecution = manifest.findLatestExecution(runId, stage);
    ApprovalRules.check(decision, latest, latestExecution)
        .ifPresent(
            refusal -> {
              throw new RefusedException(
                  refusal.code(), "run " + runId + " stage " + stage + ": " + refusal.reason());
            });
    List<ArtifactVersion> versions = new ArrayList<>();
    lookups.latestVersions(runId, stage).forEach(info -> versions.add(info.version()));
    ApprovalEvent event =
        new ApprovalEvent(
            runId,
            stage,
            decision,
            actor,
            comment == null ? "" : comment,
            clock.instant(),
            ContentDigest.of(versions));
    return manifest.appendApproval(event);
  }

  @Override
  public Page<ApprovalEvent> listApprovals(RunId runId, Optional<Stage> stage, PageRequest page) {
    lookups.requireRun(runId);
    return manifest.listApprovals(runId, stage, page);
  }
}
