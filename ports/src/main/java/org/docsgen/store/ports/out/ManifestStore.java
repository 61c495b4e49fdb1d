package org.docsgen.store.ports.out;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * The audit trail: runs, phase executions, the artifact index, validation issues, approvals and
 * bundle records. Every guarantee that must hold across server instances (one run id per
 * allocation, one RUNNING execution per stage, one version per (path, generation), one bundle per
 * run) lives in the backend's atomic primitives (unique keys, transactions), never in memory.
 * Listings are sorted and paged ({@link PageRequest}); none is unbounded. Checked by {@code
 * ManifestStoreContract}. Failures are port exceptions only.
 */
public interface ManifestStore {

  // ---- runs

  /**
   * Creates a run, allocating the next sequence number of {@code date} atomically: concurrent
   * creates on one date, from any number of instances, get distinct ids.
   */
  Run createRun(
      LocalDate date,
      String createdBy,
      Instant createdAt,
      CoreFileSet coreFiles,
      boolean bundleReadme);

  Optional<Run> findRun(RunId runId);

  /** Runs, newest first (by run id, descending). */
  Page<Run> listRuns(PageRequest page);

  // ---- executions

  /**
   * Starts the next attempt of a stage (1 + the highest attempt so far), RUNNING.
   *
   * @throws org.docsgen.store.ports.error.NotFoundException unknown run
   * @throws org.docsgen.store.ports.error.RefusedException {@code execution-already-running} when
   *     the stage already has a RUNNING execution (atomic: two concurrent starts, one wins)
   */
  PhaseExecution startExecution(RunId runId, Stage stage, String executor, Instant startedAt);

  /**
   * Finishes a RUNNING execution.
   *
   * @throws org.docsgen.store.ports.error.NotFoundException unknown execution
   * @throws org.docsgen.store.ports.error.RefusedException {@code execution-not-running} when it
   *     already finished
   */
  PhaseExecution finishExecution(
      ExecutionRef ref, ExecutionStatus status, String error, Instant finishedAt);

  Optional<PhaseExecution> findExecution(ExecutionRef ref);

  /** The stage's RUNNING execution, if any. */
  Optional<PhaseExecution> findRunningExecution(RunId runId, Stage stage);

  /** The stage's highest attempt, whatever its status. */
  Optional<PhaseExecution> findLatestExecution(RunId runId, Stage stage);

  /** Executions of a run (of one stage when present), by stage order then attempt. */
  Page<PhaseExecution> listExecutions(RunId runId, Optional<Stage> stage, PageRequest page);

  // ---- artifact index

  /**
   * Indexes a version written by (or, for an identical rewrite, confirmed by) an execution. The
   * unique key (path, generation) is the final arbiter between writers: an existing row with the
   * same hash is an idempotent success (the execution is linked to it as an output); a row with a
   * different hash refuses with {@code ImmutableException} ({@code STORE} layer) naming the indexed
   * hash.
   */
  ArtifactRecord recordArtifact(ArtifactInfo info, ExecutionRef producedBy);

  /**
   * Indexes a version an artifact write left in the store, like {@link #recordArtifact}, but only
   * if the policy still allows the write now that its body has arrived: in the same transaction
   * that inserts the row, the backend reads the run, the execution {@code writtenBy} and the
   * stage's latest approval and asks {@link org.docsgen.store.ports.guard.CommitCheck}. A run
   * bundled, a stage approved or {@code writtenBy} no longer RUNNING refuses, and nothing is
   * indexed or linked. The check and the insert are atomic against a concurrent {@link
   * #finishExecution}, {@link #appendApproval} and {@link #recordBundle}, across instances: each of
   * those either commits before (and the write is refused) or waits until the write committed.
   *
   * @throws org.docsgen.store.ports.error.ImmutableException {@code POLICY} layer, {@code
   *     run-bundled} or {@code stage-approved} in the message; {@code STORE} layer as {@link
   *     #recordArtifact} when the generation is indexed with other bytes
   * @throws org.docsgen.store.ports.error.RefusedException {@code execution-finished}
   * @throws org.docsgen.store.ports.error.NotFoundException unknown run or execution
   */
  ArtifactRecord recordWrite(ArtifactInfo info, ExecutionRef writtenBy);

  /** The latest indexed generation of a path. */
  Optional<ArtifactRecord> findArtifact(LogicalPath path);

  Optional<ArtifactRecord> findArtifact(LogicalPath path, int generation);

  /** Indexed versions matching the query, sorted by path then generation. */
  Page<ArtifactRecord> listArtifacts(ArtifactQuery query, PageRequest page);

  /**
   * The versions an execution produced or confirmed (identical rewrites), sorted by path; one per
   * path (the highest generation it touched).
   */
  Page<ArtifactRecord> listExecutionOutputs(ExecutionRef ref, PageRequest page);

  // ---- issues

  /**
   * Records issues in one transaction (all or none), assigning ids; ids in the input are ignored.
   * Returns them with their ids, in input order.
   */
  List<ValidationIssue> recordIssues(List<ValidationIssue> issues);

  /** Issues matching the query, by id. */
  Page<ValidationIssue> findIssues(IssueQuery query, PageRequest page);

  /** Counts of matching issues per severity; every severity present (0 when none). */
  Map<Severity, Long> countIssuesBySeverity(IssueQuery query);

  Optional<ValidationIssue> findIssue(RunId runId, long id);

  // ---- approvals

  /** Appends an approval event; events are never changed or removed. */
  ApprovalEvent appendApproval(ApprovalEvent event);

  /** Approval events of a run (of one stage when present), oldest first. */
  Page<ApprovalEvent> listApprovals(RunId runId, Optional<Stage> stage, PageRequest page);

  /** The stage's most recent approval event, which is the one in force. */
  Optional<ApprovalEvent> findLatestApproval(RunId runId, Stage stage);

  // ---- bundles

  /**
   * Records a run's bundle and marks the run {@code BUNDLED}, together (one transaction).
   *
   * @throws org.docsgen.store.ports.error.RefusedException {@code already-bundled} when the run has
   *     a bundle
   */
  BundleRecord recordBundle(BundleRecord bundle);

  Optional<BundleRecord> findBundle(RunId runId);

  /** Whether the database answers. Never throws. */
  StoreHealth health();
}
