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
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;

/**
 * The audit trail: runs, phase executions, the artifact index, validation issues, approvals and
 * bundle records. Every guarantee that must hold across server instances (one run id per
 * allocation, one RUNNING execution per stage, one version per (path, generation), one bundle per
 * run) lives in the backend's atomic primitives (unique keys, transactions), never in memory.
 * Listings are sorted and paged ({@link PageRequest}); none is unbounded. Checked by {@code
 * ManifestStoreContract}.
 *
 * <p>Every write is one transaction: it commits whole or leaves nothing. Failures are port
 * exceptions only, the same on every backend (SQLite, PostgreSQL), so the HTTP status and the CLI
 * exit code never depend on the database:
 *
 * <ul>
 *   <li>{@link NotFoundException} (HTTP 404, CLI exit 2) — the run or execution named does not
 *       exist; the message names it;
 *   <li>{@link RefusedException} (409, exit 1) with a stable {@link RefusedException#code() code}
 *       ({@code execution-already-running}, {@code execution-not-running}, {@code
 *       execution-finished}, {@code already-bundled}, {@code conflict}); {@link ImmutableException}
 *       (409, exit 1) of the {@code STORE} layer (another hash indexed for the generation) or the
 *       {@code POLICY} layer (the run or stage is closed to writes);
 *   <li>{@link InvalidInputException} (400, exit 2) — a value that can never succeed (field {@code
 *       status}, {@code producedBy}, {@code record}), or field {@code cursor} for a cursor the
 *       listing did not issue;
 *   <li>{@link BackendUnavailableException} (503, exit 3) — the database failed or cannot be
 *       reached; its message is safe for clients and names what failed, the driver's words are its
 *       internal detail, for the log.
 * </ul>
 *
 * Every method may throw {@link BackendUnavailableException} except {@link #health()}; the lists
 * below name the other failures. Lookups ({@code find…}) answer empty rather than {@link
 * NotFoundException}.
 */
public interface ManifestStore {

  // ---- runs

  /**
   * Creates an {@code ACTIVE} run, allocating the next sequence number of {@code date} atomically:
   * concurrent creates on one date, from any number of instances, get distinct ids, consecutive
   * from 1 per day. Returns the run as stored.
   */
  Run createRun(
      LocalDate date,
      String createdBy,
      Instant createdAt,
      CoreFileSet coreFiles,
      boolean bundleReadme);

  /** The run, or empty when there is none with that id. */
  Optional<Run> findRun(RunId runId);

  /**
   * Runs, newest first (by run id, descending), one page at a time.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor this listing did not issue
   */
  Page<Run> listRuns(PageRequest page);

  // ---- executions

  /**
   * Starts the next attempt of a stage (1 + the highest attempt so far), RUNNING, and returns it.
   *
   * @throws NotFoundException unknown run; names it
   * @throws RefusedException exactly, code {@code execution-already-running} when the stage already
   *     has a RUNNING execution (atomic: of concurrent starts, from any instances, one wins)
   */
  PhaseExecution startExecution(RunId runId, Stage stage, String executor, Instant startedAt);

  /**
   * Finishes a RUNNING execution with a terminal {@code status} and an optional {@code error} (null
   * stays null), and returns it as stored. Once only: the transition from RUNNING is atomic, so of
   * two concurrent finishes one wins and the other is refused.
   *
   * @throws InvalidInputException field {@code status}: {@code status} is RUNNING; the execution
   *     runs on
   * @throws NotFoundException unknown execution; names the run
   * @throws RefusedException {@code execution-not-running} when it already finished; it stays as it
   *     finished
   */
  PhaseExecution finishExecution(
      ExecutionRef ref, ExecutionStatus status, String error, Instant finishedAt);

  /** The execution, or empty when there is none. */
  Optional<PhaseExecution> findExecution(ExecutionRef ref);

  /** The stage's RUNNING execution, if any. */
  Optional<PhaseExecution> findRunningExecution(RunId runId, Stage stage);

  /** The stage's highest attempt, whatever its status. */
  Optional<PhaseExecution> findLatestExecution(RunId runId, Stage stage);

  /**
   * Executions of a run (of one stage when present), by stage order then attempt, one page at a
   * time.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor this listing did not issue
   */
  Page<PhaseExecution> listExecutions(RunId runId, Optional<Stage> stage, PageRequest page);

  // ---- artifact index

  /**
   * Indexes a version written by (or, for an identical rewrite, confirmed by) an execution. The
   * unique key (path, generation) is the final arbiter between writers: an existing row with the
   * same hash is an idempotent success (the execution is linked to it as an output); a row with a
   * different hash refuses with {@code ImmutableException} ({@code STORE} layer) naming the indexed
   * hash. Of concurrent records of one generation with different hashes exactly one is indexed.
   * Returns the row now indexed (for an idempotent success, the first producer's).
   *
   * @throws ImmutableException {@code STORE} layer: the generation is indexed with another hash;
   *     names the path and that hash
   * @throws InvalidInputException field {@code producedBy}: the execution is not of the artifact's
   *     run and stage
   * @throws NotFoundException unknown run or execution; nothing is indexed
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
   * @throws ImmutableException {@code POLICY} layer, {@code run-bundled} or {@code stage-approved}
   *     in the message, naming the path; {@code STORE} layer as {@link #recordArtifact} when the
   *     generation is indexed with other bytes
   * @throws RefusedException exactly (not a subclass), code {@code execution-finished}: {@code
   *     writtenBy} is no longer RUNNING, whatever it finished as; the write is not adopted by a
   *     later attempt
   * @throws InvalidInputException field {@code producedBy}, as {@link #recordArtifact}
   * @throws NotFoundException unknown run or execution
   */
  ArtifactRecord recordWrite(ArtifactInfo info, ExecutionRef writtenBy);

  /** The latest indexed generation of a path, or empty when none is indexed. */
  Optional<ArtifactRecord> findArtifact(LogicalPath path);

  /** One indexed generation of a path, or empty. */
  Optional<ArtifactRecord> findArtifact(LogicalPath path, int generation);

  /**
   * Everything an artifact write (or an overwrite token) of {@code path} is decided on before its
   * body arrives, read as one consistent snapshot, in one read of the backend: the run of {@code
   * path}, the RUNNING execution of its stage ({@link #findRunningExecution}), the stage's latest
   * approval event ({@link #findLatestApproval}) and the latest indexed generation of the path
   * ({@link #findArtifact(LogicalPath)}), exactly as those four lookups would answer if nothing
   * were written between them: no write that committed is seen in part. Empty when the run does not
   * exist. Like every lookup it decides nothing: the write's commit asks again ({@link
   * #recordWrite}).
   */
  Optional<WriteContext> findWriteContext(LogicalPath path);

  /**
   * Indexed versions matching the query, sorted by path then generation, one page at a time.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor this listing did not issue
   */
  Page<ArtifactRecord> listArtifacts(ArtifactQuery query, PageRequest page);

  /**
   * The versions an execution produced or confirmed (identical rewrites), sorted by path; one per
   * path (the highest generation it touched). Empty for an unknown execution.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor this listing did not issue
   */
  Page<ArtifactRecord> listExecutionOutputs(ExecutionRef ref, PageRequest page);

  // ---- issues

  /**
   * Records issues in one transaction (all or none), assigning ids; ids in the input are ignored.
   * Returns them with their ids, ascending in input order. An empty list records nothing.
   *
   * @throws NotFoundException an issue names a run (or execution) that does not exist; none is
   *     recorded
   * @throws InvalidInputException field {@code record}: a value the schema refuses; none is
   *     recorded
   */
  List<ValidationIssue> recordIssues(List<ValidationIssue> issues);

  /**
   * Issues matching the query, by id, one page at a time.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor this listing did not issue
   */
  Page<ValidationIssue> findIssues(IssueQuery query, PageRequest page);

  /** Counts of matching issues per severity; every severity present (0 when none). */
  Map<Severity, Long> countIssuesBySeverity(IssueQuery query);

  /** The issue of that run with that id, or empty. */
  Optional<ValidationIssue> findIssue(RunId runId, long id);

  // ---- approvals

  /**
   * Appends an approval event and returns it. Append-only: events are never changed or removed, and
   * the same decision again is a new event; concurrent appends all land.
   *
   * @throws NotFoundException the run does not exist; nothing is appended
   */
  ApprovalEvent appendApproval(ApprovalEvent event);

  /**
   * Approval events of a run (of one stage when present), oldest first, one page at a time.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor this listing did not issue
   */
  Page<ApprovalEvent> listApprovals(RunId runId, Optional<Stage> stage, PageRequest page);

  /** The stage's most recent approval event, which is the one in force. */
  Optional<ApprovalEvent> findLatestApproval(RunId runId, Stage stage);

  // ---- bundles

  /**
   * Records a run's bundle and marks the run {@code BUNDLED}, together (one transaction), and
   * returns it. One bundle per run, immutable: of concurrent records exactly one wins.
   *
   * @throws NotFoundException the run does not exist
   * @throws RefusedException {@code already-bundled} when the run has a bundle (which stays as it
   *     was); {@code conflict} when two entries share a name, which the bundle service never builds
   *     (the JDBC manifest's unique key refuses it, checked by its own tests, not the contract):
   *     nothing is recorded and the run stays {@code ACTIVE}
   */
  BundleRecord recordBundle(BundleRecord bundle);

  /** The run's bundle, or empty when it has none. */
  Optional<BundleRecord> findBundle(RunId runId);

  /**
   * Whether the database answers, with a reason when it does not. Never throws: a failing database
   * is a health that is not up.
   */
  StoreHealth health();
}
