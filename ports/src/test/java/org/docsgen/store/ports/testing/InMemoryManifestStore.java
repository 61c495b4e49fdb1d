package org.docsgen.store.ports.testing;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
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

/**
 * A correct {@link ManifestStore} in memory: every method holds one lock, which plays the part of
 * the database's unique keys and transactions. For tests of the contract suite itself and of the
 * application services.
 *
 * <p>Test hooks: {@link #isEmpty}, {@link #approvalRowCount}, {@link #failNextRecordArtifact}
 * (makes the next {@code recordArtifact} throw, to test what a half-done write leaves), and {@link
 * #flawed(Flaw)}.
 */
public final class InMemoryManifestStore implements ManifestStore {

  /** A deliberate defect, for proving that the contract suite bites. */
  public enum Flaw {
    NONE,
    /** Replaces an indexed (path, generation) row with different content instead of refusing. */
    REPLACE_INDEXED_VERSION,
    /** Indexes a write whatever the policy says at commit (the check only on arrival). */
    IGNORE_POLICY_AT_COMMIT
  }

  private static final Comparator<PhaseExecution> EXECUTION_ORDER =
      Comparator.comparing(PhaseExecution::stage).thenComparingInt(PhaseExecution::attempt);

  private final Flaw flaw;
  private final TreeMap<RunId, Run> runs = new TreeMap<>();
  private final List<PhaseExecution> executions = new ArrayList<>();
  private final TreeMap<LogicalPath, TreeMap<Integer, ArtifactRecord>> artifacts = new TreeMap<>();
  private final Map<ExecutionRef, TreeMap<LogicalPath, ArtifactRecord>> outputs = new HashMap<>();
  private final List<ValidationIssue> issues = new ArrayList<>();
  private final List<ApprovalEvent> approvals = new ArrayList<>();
  private final Map<RunId, BundleRecord> bundles = new HashMap<>();
  private long nextIssueId = 1;
  private RuntimeException nextRecordArtifactFailure;

  public InMemoryManifestStore() {
    this(Flaw.NONE);
  }

  private InMemoryManifestStore(Flaw flaw) {
    this.flaw = requireNonNull(flaw, "flaw is null");
  }

  /** A manifest with one deliberate defect. */
  public static InMemoryManifestStore flawed(Flaw flaw) {
    return new InMemoryManifestStore(flaw);
  }

  // ---- runs

  @Override
  public synchronized Run createRun(
      LocalDate date,
      String createdBy,
      Instant createdAt,
      CoreFileSet coreFiles,
      boolean bundleReadme) {
    int next =
        runs.keySet().stream()
                .filter(id -> id.date().equals(date))
                .mapToInt(RunId::sequence)
                .max()
                .orElse(0)
            + 1;
    Run run =
        new Run(
            RunId.of(date, next), RunStatus.ACTIVE, createdBy, createdAt, coreFiles, bundleReadme);
    runs.put(run.runId(), run);
    return run;
  }

  @Override
  public synchronized Optional<Run> findRun(RunId runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  @Override
  public synchronized Page<Run> listRuns(PageRequest page) {
    return InMemoryPages.slice(new ArrayList<>(runs.descendingMap().values()), page);
  }

  private Run requireRun(RunId runId) {
    Run run = runs.get(runId);
    if (run == null) {
      throw new NotFoundException("run " + runId + " does not exist");
    }
    return run;
  }

  // ---- executions

  @Override
  public synchronized PhaseExecution startExecution(
      RunId runId, Stage stage, String executor, Instant startedAt) {
    requireRun(runId);
    Optional<PhaseExecution> running = findRunningExecution(runId, stage);
    if (running.isPresent()) {
      throw new RefusedException(
          "execution-already-running",
          "stage " + stage + " of " + runId + " is already running as " + running.get().ref());
    }
    int attempt = findLatestExecution(runId, stage).map(PhaseExecution::attempt).orElse(0) + 1;
    PhaseExecution started =
        PhaseExecution.started(new ExecutionRef(runId, stage, attempt), executor, startedAt);
    executions.add(started);
    return started;
  }

  @Override
  public synchronized PhaseExecution finishExecution(
      ExecutionRef ref, ExecutionStatus status, String error, Instant finishedAt) {
    if (!status.isTerminal()) {
      throw new InvalidInputException(
          "status", "an execution finishes as SUCCEEDED, FAILED or GATE_FAILED, not " + status);
    }
    PhaseExecution current =
        findExecution(ref)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "execution " + ref + " of " + ref.runId() + " does not exist"));
    if (!current.isRunning()) {
      throw new RefusedException(
          "execution-not-running",
          "execution " + ref + " of " + ref.runId() + " already finished as " + current.status());
    }
    PhaseExecution finished = current.finish(status, error, finishedAt);
    executions.set(executions.indexOf(current), finished);
    return finished;
  }

  @Override
  public synchronized Optional<PhaseExecution> findExecution(ExecutionRef ref) {
    return executions.stream().filter(e -> e.ref().equals(ref)).findFirst();
  }

  @Override
  public synchronized Optional<PhaseExecution> findRunningExecution(RunId runId, Stage stage) {
    return executions.stream()
        .filter(e -> e.runId().equals(runId) && e.stage().equals(stage) && e.isRunning())
        .findFirst();
  }

  @Override
  public synchronized Optional<PhaseExecution> findLatestExecution(RunId runId, Stage stage) {
    return executions.stream()
        .filter(e -> e.runId().equals(runId) && e.stage().equals(stage))
        .max(Comparator.comparingInt(PhaseExecution::attempt));
  }

  @Override
  public synchronized Page<PhaseExecution> listExecutions(
      RunId runId, Optional<Stage> stage, PageRequest page) {
    List<PhaseExecution> matching =
        executions.stream()
            .filter(e -> e.runId().equals(runId) && stage.map(e.stage()::equals).orElse(true))
            .sorted(EXECUTION_ORDER)
            .toList();
    return InMemoryPages.slice(matching, page);
  }

  // ---- artifact index

  @Override
  public synchronized ArtifactRecord recordArtifact(ArtifactInfo info, ExecutionRef producedBy) {
    if (nextRecordArtifactFailure != null) {
      RuntimeException failure = nextRecordArtifactFailure;
      nextRecordArtifactFailure = null;
      throw failure;
    }
    requireRun(info.runId());
    TreeMap<Integer, ArtifactRecord> versions =
        artifacts.computeIfAbsent(info.path(), p -> new TreeMap<>());
    ArtifactRecord existing = versions.get(info.generation());
    ArtifactRecord record;
    if (existing == null || flaw == Flaw.REPLACE_INDEXED_VERSION) {
      record = new ArtifactRecord(info, producedBy);
      versions.put(info.generation(), record);
    } else if (existing.info().hash().equals(info.hash())) {
      record = existing;
    } else {
      throw new ImmutableException(
          ImmutableException.Layer.STORE,
          info.path(),
          existing.info().hash(),
          "generation " + info.generation() + " is already indexed with different content");
    }
    TreeMap<LogicalPath, ArtifactRecord> out =
        outputs.computeIfAbsent(producedBy, r -> new TreeMap<>());
    ArtifactRecord previous = out.get(info.path());
    if (previous == null || previous.info().generation() <= info.generation()) {
      out.put(info.path(), record);
    }
    return record;
  }

  @Override
  public synchronized ArtifactRecord recordWrite(ArtifactInfo info, ExecutionRef writtenBy) {
    Run run = requireRun(info.runId());
    PhaseExecution execution =
        findExecution(writtenBy)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "execution " + writtenBy + " of run " + writtenBy.runId() + " not found"));
    if (flaw != Flaw.IGNORE_POLICY_AT_COMMIT) {
      // one lock for the whole method: the check and the insert are one step
      CommitCheck.require(
          run, execution, findLatestApproval(run.runId(), info.stage()).orElse(null), info.path());
    }
    return recordArtifact(info, writtenBy);
  }

  @Override
  public synchronized Optional<ArtifactRecord> findArtifact(LogicalPath path) {
    TreeMap<Integer, ArtifactRecord> versions = artifacts.get(path);
    return versions == null || versions.isEmpty()
        ? Optional.empty()
        : Optional.of(versions.lastEntry().getValue());
  }

  @Override
  public synchronized Optional<WriteContext> findWriteContext(LogicalPath path) {
    // one lock: the four answers are of one instant
    return findRun(path.runId())
        .map(
            run ->
                new WriteContext(
                    run,
                    findRunningExecution(path.runId(), path.stage()),
                    findLatestApproval(path.runId(), path.stage()),
                    findArtifact(path)));
  }

  @Override
  public synchronized Optional<ArtifactRecord> findArtifact(LogicalPath path, int generation) {
    TreeMap<Integer, ArtifactRecord> versions = artifacts.get(path);
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(generation));
  }

  @Override
  public synchronized Page<ArtifactRecord> listArtifacts(ArtifactQuery query, PageRequest page) {
    List<ArtifactRecord> matching = new ArrayList<>();
    for (Map.Entry<LogicalPath, TreeMap<Integer, ArtifactRecord>> e : artifacts.entrySet()) {
      LogicalPath path = e.getKey();
      if (!path.runId().equals(query.runId())
          || (query.stage() != null && !query.stage().equals(path.stage()))
          || e.getValue().isEmpty()) {
        continue;
      }
      List<ArtifactRecord> versions =
          query.latestOnly()
              ? List.of(e.getValue().lastEntry().getValue())
              : List.copyOf(e.getValue().values());
      for (ArtifactRecord record : versions) {
        if (query.type() == null || query.type() == record.info().type()) {
          matching.add(record);
        }
      }
    }
    return InMemoryPages.slice(matching, page);
  }

  @Override
  public synchronized Page<ArtifactRecord> listExecutionOutputs(
      ExecutionRef ref, PageRequest page) {
    TreeMap<LogicalPath, ArtifactRecord> out = outputs.getOrDefault(ref, new TreeMap<>());
    return InMemoryPages.slice(new ArrayList<>(out.values()), page);
  }

  // ---- issues

  @Override
  public synchronized List<ValidationIssue> recordIssues(List<ValidationIssue> newIssues) {
    for (ValidationIssue issue : newIssues) {
      requireRun(issue.runId());
    }
    List<ValidationIssue> recorded = new ArrayList<>(newIssues.size());
    for (ValidationIssue i : newIssues) {
      ValidationIssue withId =
          new ValidationIssue(
              nextIssueId++,
              i.runId(),
              i.stage(),
              i.attempt(),
              i.file(),
              i.generation(),
              i.rule(),
              i.severity(),
              i.message(),
              i.location(),
              i.validator(),
              i.fingerprint());
      recorded.add(withId);
    }
    issues.addAll(recorded);
    return recorded;
  }

  private static Predicate<ValidationIssue> matches(IssueQuery q) {
    return i ->
        i.runId().equals(q.runId())
            && (q.stage() == null || q.stage().equals(i.stage()))
            && (q.attempt() == null || q.attempt() == i.attempt())
            && (q.file() == null || q.file().equals(i.file()))
            && (q.rule() == null || q.rule().equals(i.rule()))
            && (q.severity() == null || q.severity() == i.severity());
  }

  @Override
  public synchronized Page<ValidationIssue> findIssues(IssueQuery query, PageRequest page) {
    return InMemoryPages.slice(issues.stream().filter(matches(query)).toList(), page);
  }

  @Override
  public synchronized Map<Severity, Long> countIssuesBySeverity(IssueQuery query) {
    Map<Severity, Long> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0L);
    }
    issues.stream().filter(matches(query)).forEach(i -> counts.merge(i.severity(), 1L, Long::sum));
    return counts;
  }

  @Override
  public synchronized Optional<ValidationIssue> findIssue(RunId runId, long id) {
    return issues.stream().filter(i -> i.id() == id && i.runId().equals(runId)).findFirst();
  }

  // ---- approvals

  @Override
  public synchronized ApprovalEvent appendApproval(ApprovalEvent event) {
    requireRun(event.runId());
    approvals.add(event);
    return event;
  }

  @Override
  public synchronized Page<ApprovalEvent> listApprovals(
      RunId runId, Optional<Stage> stage, PageRequest page) {
    List<ApprovalEvent> matching =
        approvals.stream()
            .filter(a -> a.runId().equals(runId) && stage.map(a.stage()::equals).orElse(true))
            .toList();
    return InMemoryPages.slice(matching, page);
  }

  @Override
  public synchronized Optional<ApprovalEvent> findLatestApproval(RunId runId, Stage stage) {
    ApprovalEvent latest = null;
    for (ApprovalEvent a : approvals) {
      if (a.runId().equals(runId) && a.stage().equals(stage)) {
        latest = a;
      }
    }
    return Optional.ofNullable(latest);
  }

  // ---- bundles

  @Override
  public synchronized BundleRecord recordBundle(BundleRecord bundle) {
    Run run = requireRun(bundle.runId());
    if (bundles.containsKey(bundle.runId())) {
      throw new RefusedException(
          "already-bundled", "run " + bundle.runId() + " already has a bundle");
    }
    bundles.put(bundle.runId(), bundle);
    runs.put(run.runId(), run.withStatus(RunStatus.BUNDLED));
    return bundle;
  }

  @Override
  public synchronized Optional<BundleRecord> findBundle(RunId runId) {
    return Optional.ofNullable(bundles.get(runId));
  }

  @Override
  public StoreHealth health() {
    return new StoreHealth("memory", true, false, "in-memory test manifest");
  }

  // ---- test hooks (the "raw backend")

  /** Whether nothing at all is recorded. */
  public synchronized boolean isEmpty() {
    return runs.isEmpty()
        && executions.isEmpty()
        && artifacts.isEmpty()
        && issues.isEmpty()
        && approvals.isEmpty()
        && bundles.isEmpty();
  }

  /** Approval rows of a run, counted in the raw list (not through the port). */
  public synchronized long approvalRowCount(RunId runId) {
    return approvals.stream().filter(a -> a.runId().equals(runId)).count();
  }

  /** Replaces a run's bundle record as a raw backend edit would (the port never does). */
  public synchronized void replaceBundle(BundleRecord bundle) {
    bundles.put(requireNonNull(bundle, "bundle is null").runId(), bundle);
  }

  /** The next {@code recordArtifact} throws {@code failure} (once). */
  public synchronized void failNextRecordArtifact(RuntimeException failure) {
    this.nextRecordArtifactFailure = requireNonNull(failure, "failure is null");
  }
}
