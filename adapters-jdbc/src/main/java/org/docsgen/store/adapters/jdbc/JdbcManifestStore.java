package org.docsgen.store.adapters.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.guard.CommitCheck;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.StoreHealth;
import org.docsgen.store.ports.out.WriteContext;
import org.docsgen.store.ports.paging.PageCursorCodec;
import org.jdbi.v3.core.Handle;

/**
 * {@link ManifestStore} on SQLite or PostgreSQL through Jdbi. Every guarantee that must hold across
 * instances is a database primitive: the per-day sequence row (run ids), the partial unique index
 * {@code executions_one_running}, the primary keys of {@code artifacts} and {@code bundles}, and
 * transactions around every multi-row change. Closing it closes the connection pools.
 */
final class JdbcManifestStore implements ManifestStore, AutoCloseable {
  private static final String LISTING_RUNS = "runs";
  private static final String LISTING_EXECUTIONS = "executions";
  private static final String LISTING_ARTIFACTS = "artifacts";
  private static final String LISTING_OUTPUTS = "outputs";
  private static final String LISTING_ISSUES = "issues";
  private static final String LISTING_APPROVALS = "approvals";
  private static final int START_ATTEMPT_TRIES = 5;

  private final JdbcDatabase db;

  JdbcManifestStore(JdbcDatabase db) {
    this.db = requireNonNull(db, "db is null");
  }

  // ---- runs

  @Override
  public Run createRun(
      LocalDate date,
      String createdBy,
      Instant createdAt,
      CoreFileSet coreFiles,
      boolean bundleReadme) {
    requireNonNull(date, "date is null");
    requireNonNull(createdBy, "createdBy is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(coreFiles, "coreFiles is null");
    String day = date.toString();
    return db.write(
        "creating a run on " + day,
        h -> {
          RunDao runs = h.attach(RunDao.class);
          int sequence = runs.nextSequence(day);
          Run run =
              new Run(
                  RunId.of(date, sequence),
                  RunStatus.ACTIVE,
                  createdBy,
                  createdAt,
                  coreFiles,
                  bundleReadme);
          runs.insert(
              run.runId().toString(),
              day,
              sequence,
              run.status().name(),
              createdBy,
              EpochNanos.of(createdAt),
              RunDao.coreFiles(coreFiles),
              bundleReadme);
          return run;
        });
  }

  @Override
  public Optional<Run> findRun(RunId runId) {
    requireNonNull(runId, "runId is null");
    return db.read("reading run " + runId, h -> RunDao.find(h, runId.toString()));
  }

  @Override
  public Page<Run> listRuns(PageRequest page) {
    requireNonNull(page, "page is null");
    String day = RunDao.NEWEST_DAY;
    int seq = Integer.MAX_VALUE;
    if (page.cursor() != null) {
      PageCursorCodec.Fields key = PageCursors.decode(LISTING_RUNS, page.cursor(), 2);
      day = key.get(0);
      seq = key.intAt(1);
    }
    String afterDay = day;
    int afterSeq = seq;
    List<Run> rows =
        db.read(
            "listing runs",
            h -> h.attach(RunDao.class).pageBefore(afterDay, afterSeq, page.limit() + 1));
    return PageCursors.page(
        rows,
        page.limit(),
        run -> PageCursors.encode(LISTING_RUNS, run.runId().date(), run.runId().sequence()));
  }

  // ---- executions

  @Override
  public PhaseExecution startExecution(
      RunId runId, Stage stage, String executor, Instant startedAt) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(executor, "executor is null");
    requireNonNull(startedAt, "startedAt is null");
    // An attempt number taken by a concurrent start that has already finished is retried with
    // the next number; a RUNNING execution is the refusal.
    for (int tries = 1; ; tries++) {
      Optional<PhaseExecution> started =
          db.write(
              "starting " + stage + " of run " + runId,
              h -> tryStart(h, runId, stage, executor, startedAt));
      if (started.isPresent()) {
        return started.get();
      }
      if (tries == START_ATTEMPT_TRIES) {
        throw new RefusedException(
            "execution-already-running",
            "could not start "
                + stage
                + " of run "
                + runId
                + ": other starts of the stage kept winning");
      }
    }
  }

  private Optional<PhaseExecution> tryStart(
      Handle h, RunId runId, Stage stage, String executor, Instant startedAt) {
    String run = runId.toString();
    if (h.attach(RunDao.class).find(run).isEmpty()) {
      throw new NotFoundException("run " + runId + " not found");
    }
    ExecutionDao executions = h.attach(ExecutionDao.class);
    int attempt = executions.maxAttempt(run, stage.toString()) + 1;
    int inserted =
        executions.insertRunning(
            run, stage.toString(), stage.order(), attempt, executor, EpochNanos.of(startedAt));
    if (inserted == 1) {
      return Optional.of(
          PhaseExecution.started(new ExecutionRef(runId, stage, attempt), executor, startedAt));
    }
    Optional<PhaseExecution> running = executions.findRunning(run, stage.toString());
    if (running.isPresent()) {
      throw alreadyRunning(running.get());
    }
    return Optional.empty();
  }

  private static RefusedException alreadyRunning(PhaseExecution running) {
    return new RefusedException(
        "execution-already-running",
        "stage "
            + running.stage()
            + " of run "
            + running.runId()
            + " already has a RUNNING execution (attempt "
            + running.attempt()
            + "); finish it before starting another");
  }

  @Override
  public PhaseExecution finishExecution(
      ExecutionRef ref, ExecutionStatus status, String error, Instant finishedAt) {
    requireNonNull(ref, "ref is null");
    requireNonNull(status, "status is null");
    requireNonNull(finishedAt, "finishedAt is null");
    if (!status.isTerminal()) {
      throw new InvalidInputException(
          "status", "an execution finishes as SUCCEEDED, FAILED or GATE_FAILED, not " + status);
    }
    String run = ref.runId().toString();
    String stage = ref.stage().toString();
    return db.write(
        "finishing " + ref + " of run " + ref.runId(),
        h -> {
          ExecutionDao executions = h.attach(ExecutionDao.class);
          int updated =
              executions.finish(
                  run, stage, ref.attempt(), status.name(), EpochNanos.of(finishedAt), error);
          PhaseExecution now =
              executions
                  .find(run, stage, ref.attempt())
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              "execution " + ref + " of run " + ref.runId() + " not found"));
          if (updated == 0) {
            throw new RefusedException(
                "execution-not-running",
                "execution "
                    + ref
                    + " of run "
                    + ref.runId()
                    + " already finished as "
                    + now.status());
          }
          return now;
        });
  }

  @Override
  public Optional<PhaseExecution> findExecution(ExecutionRef ref) {
    requireNonNull(ref, "ref is null");
    return db.read(
        "reading execution " + ref + " of run " + ref.runId(),
        h ->
            h.attach(ExecutionDao.class)
                .find(ref.runId().toString(), ref.stage().toString(), ref.attempt()));
  }

  @Override
  public Optional<PhaseExecution> findRunningExecution(RunId runId, Stage stage) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    return db.read(
        "reading the running execution of " + stage + " of run " + runId,
        h -> ExecutionDao.findRunning(h, runId.toString(), stage.toString()));
  }

  @Override
  public Optional<PhaseExecution> findLatestExecution(RunId runId, Stage stage) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    return db.read(
        "reading the latest execution of " + stage + " of run " + runId,
        h -> h.attach(ExecutionDao.class).findLatest(runId.toString(), stage.toString()));
  }

  @Override
  public Page<PhaseExecution> listExecutions(RunId runId, Optional<Stage> stage, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(page, "page is null");
    int afterOrder = -1;
    int afterAttempt = 0;
    if (page.cursor() != null) {
      PageCursorCodec.Fields key = PageCursors.decode(LISTING_EXECUTIONS, page.cursor(), 2);
      afterOrder = key.intAt(0);
      afterAttempt = key.intAt(1);
    }
    int order = afterOrder;
    int attempt = afterAttempt;
    int fetch = page.limit() + 1;
    List<PhaseExecution> rows =
        db.read(
            "listing executions of run " + runId,
            h -> {
              ExecutionDao dao = h.attach(ExecutionDao.class);
              return stage.isPresent()
                  ? dao.pageOfStage(
                      runId.toString(),
                      stage.get().order(),
                      stage.get().order() == order ? attempt : 0,
                      fetch)
                  : dao.pageOfRun(runId.toString(), order, attempt, fetch);
            });
    return PageCursors.page(
        rows,
        page.limit(),
        e -> PageCursors.encode(LISTING_EXECUTIONS, e.stage().order(), e.attempt()));
  }

  // ---- artifact index

  @Override
  public ArtifactRecord recordArtifact(ArtifactInfo info, ExecutionRef producedBy) {
    requireSameStage(info, producedBy);
    return db.write(
        "indexing " + info.path() + " generation " + info.generation(),
        h -> index(h, info, producedBy));
  }

  @Override
  public ArtifactRecord recordWrite(ArtifactInfo info, ExecutionRef writtenBy) {
    requireSameStage(info, writtenBy);
    return db.write(
        "indexing the write of " + info.path() + " generation " + info.generation(),
        h -> {
          // Read under locks that a concurrent finish (UPDATE executions), bundle (UPDATE runs)
          // and approval (which locks the run row first) conflict with: whichever commits first
          // is seen by the other. On SQLite the one writer transaction already serialises them.
          String lock = db.backend().equals("postgresql") ? " FOR SHARE" : "";
          String run = info.runId().toString();
          Run current =
              HotSql.one(h, RunDao.FIND_BY_ID + lock, s -> s.setString(1, run), RunDao.RUNS)
                  .orElseThrow(() -> new NotFoundException("run " + info.runId() + " not found"));
          PhaseExecution execution =
              HotSql.one(
                      h,
                      ExecutionDao.FIND_BY_ATTEMPT + lock,
                      s -> {
                        s.setString(1, run);
                        s.setString(2, writtenBy.stage().toString());
                        s.setInt(3, writtenBy.attempt());
                      },
                      ExecutionDao.EXECUTIONS)
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              "execution " + writtenBy + " of run " + info.runId() + " not found"));
          ApprovalEvent approval =
              ApprovalDao.latest(h, run, info.stage().toString())
                  .map(ApprovalDao.Ordered::value)
                  .orElse(null);
          CommitCheck.require(current, execution, approval, info.path());
          return index(h, info, writtenBy);
        });
  }

  private static void requireSameStage(ArtifactInfo info, ExecutionRef producedBy) {
    requireNonNull(info, "info is null");
    requireNonNull(producedBy, "producedBy is null");
    if (!producedBy.runId().equals(info.runId()) || !producedBy.stage().equals(info.stage())) {
      throw new InvalidInputException(
          "producedBy",
          info.path()
              + " belongs to "
              + info.stage()
              + " of run "
              + info.runId()
              + ", not to execution "
              + producedBy
              + " of run "
              + producedBy.runId());
    }
  }

  /** Inserts the row unless (path, generation) is taken; the row now there is the arbiter. */
  private static ArtifactRecord index(Handle h, ArtifactInfo info, ExecutionRef producedBy) {
    ArtifactRecord indexed = ArtifactIndexDao.index(h, info, producedBy.attempt());
    if (!indexed.info().hash().equals(info.hash())) {
      throw new ImmutableException(
          ImmutableException.Layer.STORE,
          info.path(),
          indexed.info().hash(),
          "generation " + info.generation() + " is already indexed with different content");
    }
    ArtifactIndexDao.raiseHeadAndLink(h, indexed, producedBy);
    return indexed;
  }

  @Override
  public Optional<ArtifactRecord> findArtifact(LogicalPath path) {
    requireNonNull(path, "path is null");
    return db.read(
        "reading the index of " + path, h -> ArtifactIndexDao.findLatest(h, path.toString()));
  }

  /**
   * The four look-ups of {@link #findWriteContext} as one statement, so one snapshot on either
   * backend without a transaction around it (one read lock on SQLite, one round trip on
   * PostgreSQL): the run row, left-joined to at most one row of each of the others, each found
   * through the index its own look-up uses (executions_one_running, approvals_by_stage,
   * artifacts_pk). Parameters: stage, run, stage, path, path, run.
   */
  static final String WRITE_CONTEXT =
      "SELECT "
          + columns("r", RunDao.COLUMNS)
          + ", "
          + columns("e", ExecutionDao.COLUMNS)
          + ", "
          + columns("a", ApprovalDao.COLUMNS)
          + ", "
          + columns("f", ArtifactIndexDao.COLUMNS)
          + " FROM runs r"
          + " LEFT JOIN executions e"
          + " ON e.run_id = r.run_id AND e.stage = ? AND e.status = 'RUNNING'"
          + " LEFT JOIN approvals a ON a.run_id = r.run_id"
          + " AND a.id = (SELECT MAX(id) FROM approvals WHERE run_id = ? AND stage = ?)"
          + " LEFT JOIN artifacts f ON f.path = ?"
          + " AND f.generation = (SELECT MAX(generation) FROM artifacts WHERE path = ?)"
          + " WHERE r.run_id = ?";

  private static final int WRITE_CONTEXT_EXECUTION = 1 + count(RunDao.COLUMNS);
  private static final int WRITE_CONTEXT_APPROVAL =
      WRITE_CONTEXT_EXECUTION + count(ExecutionDao.COLUMNS);
  private static final int WRITE_CONTEXT_ARTIFACT =
      WRITE_CONTEXT_APPROVAL + count(ApprovalDao.COLUMNS);

  private static String columns(String alias, String columns) {
    return alias + "." + columns.replace(", ", ", " + alias + ".");
  }

  private static int count(String columns) {
    return columns.split(",").length;
  }

  @Override
  public Optional<WriteContext> findWriteContext(LogicalPath path) {
    requireNonNull(path, "path is null");
    String run = path.runId().toString();
    String stage = path.stage().toString();
    String logical = path.toString();
    return db.read(
        "reading run " + path.runId() + " for a write of " + path,
        h ->
            HotSql.one(
                h,
                WRITE_CONTEXT,
                s -> {
                  s.setString(1, stage);
                  s.setString(2, run);
                  s.setString(3, stage);
                  s.setString(4, logical);
                  s.setString(5, logical);
                  s.setString(6, run);
                },
                (rs, ctx) -> {
                  Run found = RunDao.runAt(rs, 1);
                  Optional<PhaseExecution> running =
                      rs.getString(WRITE_CONTEXT_EXECUTION) == null
                          ? Optional.empty()
                          : Optional.of(ExecutionDao.executionAt(rs, WRITE_CONTEXT_EXECUTION));
                  rs.getLong(WRITE_CONTEXT_APPROVAL);
                  Optional<ApprovalEvent> approval =
                      rs.wasNull()
                          ? Optional.empty()
                          : Optional.of(ApprovalDao.approvalAt(rs, WRITE_CONTEXT_APPROVAL).value());
                  Optional<ArtifactRecord> indexed =
                      rs.getString(WRITE_CONTEXT_ARTIFACT) == null
                          ? Optional.empty()
                          : Optional.of(ArtifactIndexDao.recordAt(rs, WRITE_CONTEXT_ARTIFACT));
                  return new WriteContext(found, running, approval, indexed);
                }));
  }

  @Override
  public Optional<ArtifactRecord> findArtifact(LogicalPath path, int generation) {
    requireNonNull(path, "path is null");
    return db.read(
        "reading the index of " + path + " generation " + generation,
        h -> ArtifactIndexDao.find(h, path.toString(), generation));
  }

  @Override
  public Page<ArtifactRecord> listArtifacts(ArtifactQuery query, PageRequest page) {
    requireNonNull(query, "query is null");
    requireNonNull(page, "page is null");
    String afterPath = null;
    int afterGeneration = 0;
    if (page.cursor() != null) {
      PageCursorCodec.Fields key = PageCursors.decode(LISTING_ARTIFACTS, page.cursor(), 2);
      afterPath = key.get(0);
      afterGeneration = key.intAt(1);
    }
    String path = afterPath;
    int generation = afterGeneration;
    List<ArtifactRecord> rows =
        db.read(
            "listing artifacts of run " + query.runId(),
            h -> h.attach(ArtifactIndexDao.class).page(query, path, generation, page.limit() + 1));
    return PageCursors.page(
        rows,
        page.limit(),
        r -> PageCursors.encode(LISTING_ARTIFACTS, r.info().path(), r.info().generation()));
  }

  @Override
  public Page<ArtifactRecord> listExecutionOutputs(ExecutionRef ref, PageRequest page) {
    requireNonNull(ref, "ref is null");
    requireNonNull(page, "page is null");
    String afterPath =
        page.cursor() == null ? "" : PageCursors.decode(LISTING_OUTPUTS, page.cursor(), 1).get(0);
    List<ArtifactRecord> rows =
        db.read(
            "listing outputs of " + ref + " of run " + ref.runId(),
            h ->
                h.attach(ArtifactIndexDao.class)
                    .outputs(
                        ref.runId().toString(),
                        ref.stage().toString(),
                        ref.attempt(),
                        afterPath,
                        page.limit() + 1));
    return PageCursors.page(
        rows, page.limit(), r -> PageCursors.encode(LISTING_OUTPUTS, r.info().path()));
  }

  // ---- issues

  @Override
  public List<ValidationIssue> recordIssues(List<ValidationIssue> issues) {
    requireNonNull(issues, "issues is null");
    if (issues.isEmpty()) {
      return List.of();
    }
    long first = reserveIds("issues", issues.size());
    List<ValidationIssue> numbered = new ArrayList<>(issues.size());
    for (ValidationIssue issue : issues) {
      numbered.add(withId(issue, first + numbered.size()));
    }
    RunId runId = issues.get(0).runId();
    db.write(
        "recording " + issues.size() + " issues of run " + runId,
        h -> {
          h.attach(IssueDao.class).insertAll(numbered);
          return null;
        });
    return List.copyOf(numbered);
  }

  private long reserveIds(String name, int count) {
    long last =
        db.write(
            "reserving " + count + " " + name + " ids",
            h -> h.attach(IdAllocationDao.class).reserve(name, count));
    return last - count + 1;
  }

  private static ValidationIssue withId(ValidationIssue issue, long id) {
    return new ValidationIssue(
        id,
        issue.runId(),
        issue.stage(),
        issue.attempt(),
        issue.file(),
        issue.generation(),
        issue.rule(),
        issue.severity(),
        issue.message(),
        issue.location(),
        issue.validator(),
        issue.fingerprint());
  }

  @Override
  public Page<ValidationIssue> findIssues(IssueQuery query, PageRequest page) {
    requireNonNull(query, "query is null");
    requireNonNull(page, "page is null");
    long afterId =
        page.cursor() == null ? 0 : PageCursors.decode(LISTING_ISSUES, page.cursor(), 1).longAt(0);
    List<ValidationIssue> rows =
        db.read(
            "querying issues of run " + query.runId(),
            h -> h.attach(IssueDao.class).page(query, afterId, page.limit() + 1));
    return PageCursors.page(
        rows, page.limit(), issue -> PageCursors.encode(LISTING_ISSUES, issue.id()));
  }

  @Override
  public Map<Severity, Long> countIssuesBySeverity(IssueQuery query) {
    requireNonNull(query, "query is null");
    return db.read(
        "counting issues of run " + query.runId(),
        h -> h.attach(IssueDao.class).countBySeverity(query));
  }

  @Override
  public Optional<ValidationIssue> findIssue(RunId runId, long id) {
    requireNonNull(runId, "runId is null");
    return db.read(
        "reading issue " + id + " of run " + runId,
        h -> h.attach(IssueDao.class).find(runId.toString(), id));
  }

  // ---- approvals

  @Override
  public ApprovalEvent appendApproval(ApprovalEvent event) {
    requireNonNull(event, "event is null");
    long id = reserveIds("approvals", 1);
    db.write(
        "recording an approval of " + event.stage() + " of run " + event.runId(),
        h -> {
          if (db.backend().equals("postgresql")) {
            // conflicts with the FOR SHARE of recordWrite: an approval and a write committing
            // together are ordered, so no write is indexed into a stage approved before it
            h.createQuery("SELECT run_id FROM runs WHERE run_id = :runId FOR NO KEY UPDATE")
                .bind("runId", event.runId().toString())
                .mapTo(String.class)
                .findOne();
          }
          h.attach(ApprovalDao.class)
              .insert(
                  id,
                  event.runId().toString(),
                  event.stage().toString(),
                  event.decision().name(),
                  event.actor(),
                  event.comment(),
                  EpochNanos.of(event.at()),
                  event.contentDigest().hex());
          return null;
        });
    return event;
  }

  @Override
  public Page<ApprovalEvent> listApprovals(RunId runId, Optional<Stage> stage, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(page, "page is null");
    long afterId =
        page.cursor() == null
            ? 0
            : PageCursors.decode(LISTING_APPROVALS, page.cursor(), 1).longAt(0);
    int fetch = page.limit() + 1;
    List<ApprovalDao.Ordered<ApprovalEvent>> rows =
        db.read(
            "listing approvals of run " + runId,
            h -> {
              ApprovalDao dao = h.attach(ApprovalDao.class);
              return stage.isPresent()
                  ? dao.pageOfStage(runId.toString(), stage.get().toString(), afterId, fetch)
                  : dao.pageOfRun(runId.toString(), afterId, fetch);
            });
    return PageCursors.page(
            rows, page.limit(), row -> PageCursors.encode(LISTING_APPROVALS, row.id()))
        .map(ApprovalDao.Ordered::value);
  }

  @Override
  public Optional<ApprovalEvent> findLatestApproval(RunId runId, Stage stage) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    return db.read(
            "reading the latest approval of " + stage + " of run " + runId,
            h -> ApprovalDao.latest(h, runId.toString(), stage.toString()))
        .map(ApprovalDao.Ordered::value);
  }

  // ---- bundles

  @Override
  public BundleRecord recordBundle(BundleRecord bundle) {
    requireNonNull(bundle, "bundle is null");
    RunId runId = bundle.runId();
    return db.write(
        "recording the bundle of run " + runId,
        h -> {
          RunDao runs = h.attach(RunDao.class);
          if (runs.find(runId.toString()).isEmpty()) {
            throw new NotFoundException("run " + runId + " not found");
          }
          BundleDao bundles = h.attach(BundleDao.class);
          int inserted =
              bundles.insert(
                  runId.toString(),
                  bundle.zip().path().toString(),
                  bundle.zip().generation(),
                  bundle.zip().hash().hex(),
                  bundle.zipSize(),
                  bundle.finalExecution().stage().toString(),
                  bundle.finalExecution().attempt(),
                  bundle.createdBy(),
                  EpochNanos.of(bundle.createdAt()),
                  bundle.attestation(),
                  bundle.signature());
          if (inserted == 0) {
            throw new RefusedException(
                "already-bundled", "run " + runId + " already has a bundle; bundles are immutable");
          }
          bundles.insertEntries(runId, bundle.entries());
          runs.setStatus(runId.toString(), RunStatus.BUNDLED.name());
          return bundle;
        });
  }

  @Override
  public Optional<BundleRecord> findBundle(RunId runId) {
    requireNonNull(runId, "runId is null");
    return db.readConsistent(
        "reading the bundle of run " + runId, h -> h.attach(BundleDao.class).find(runId));
  }

  @Override
  public StoreHealth health() {
    String problem = db.problem();
    return new StoreHealth(
        db.backend(), problem == null, false, problem == null ? "manifest answers" : problem);
  }

  @Override
  public void close() {
    db.close();
  }
}
