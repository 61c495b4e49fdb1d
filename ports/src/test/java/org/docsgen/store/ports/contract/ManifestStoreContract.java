package org.docsgen.store.ports.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.approval.ApprovalEvent;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.bundle.BundleEntry;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.issue.Fingerprint;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.RunStatus;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.contract.ContractSupport.Outcome;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.out.ArtifactQuery;
import org.docsgen.store.ports.out.ArtifactRecord;
import org.docsgen.store.ports.out.IssueQuery;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.StoreHealth;
import org.docsgen.store.ports.out.WriteContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ManifestStore} promises. Each adapter's test subclasses this and
 * supplies only the backend (a SQLite file, a PostgreSQL schema) through the hooks.
 *
 * <p>Hooks: {@link #createStore}, {@link #assertBackendEmpty} (abstract); {@link #closeStore},
 * {@link #rawApprovalRowCount} (defaults).
 */
public abstract class ManifestStoreContract {
  protected static final LocalDate DAY = LocalDate.of(2026, 11, 28);
  protected static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  protected ManifestStore store;

  /** A new, empty, migrated manifest over a fresh backend location. */
  protected abstract ManifestStore createStore() throws Exception;

  /** Asserts through raw JDBC (not the adapter) that the manifest holds no rows. */
  protected abstract void assertBackendEmpty() throws Exception;

  /** Releases the backend; default does nothing. */
  protected void closeStore() throws Exception {}

  /**
   * The number of approval rows of {@code runId}, counted through the raw backend (JDBC), not the
   * adapter. Default: empty, which skips the raw append-only check (override it).
   */
  protected OptionalLong rawApprovalRowCount(RunId runId) throws Exception {
    return OptionalLong.empty();
  }

  @BeforeEach
  void setUpStore() throws Exception {
    store = createStore();
    assertBackendEmpty();
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeStore();
  }

  // ---- fixtures

  protected Run newRun() {
    return store.createRun(DAY, "alice", NOW, CoreFileSet.of(List.of("docsgen.md")), false);
  }

  protected PhaseExecution start(RunId runId, Stage stage) {
    return store.startExecution(runId, stage, "orchestrator", NOW);
  }

  protected static ArtifactInfo info(
      LogicalPath path, int generation, String content, ArtifactType type) {
    byte[] bytes = content.getBytes(UTF_8);
    return new ArtifactInfo(
        path,
        type,
        ContentHash.sha256(bytes),
        bytes.length,
        "text/markdown",
        "writer",
        NOW.plusSeconds(generation),
        generation);
  }

  protected static ArtifactInfo doc(LogicalPath path, int generation, String content) {
    return info(path, generation, content, ArtifactType.DOCUMENTATION);
  }

  protected static ValidationIssue issue(
      ExecutionRef ref, LogicalPath file, String rule, Severity severity, String message) {
    return new ValidationIssue(
        0,
        ref.runId(),
        ref.stage(),
        ref.attempt(),
        file,
        1,
        rule,
        severity,
        message,
        new IssueLocation(3, 1, 4, 7),
        "validator-x",
        Fingerprint.of(rule, file, message));
  }

  protected static <T> List<Page<T>> pages(Function<PageRequest, Page<T>> lister, int limit) {
    return ArtifactStoreContract.pages(lister, limit);
  }

  protected static <T> List<T> flatten(List<Page<T>> pages) {
    return ArtifactStoreContract.flatten(pages);
  }

  /**
   * Asserts a refusal by rule {@code code}: exactly {@link RefusedException} (not one of its
   * subclasses, which carry their own codes and statuses), whose message mentions {@code mentions}.
   */
  protected static void assertRefused(Throwable e, String code, String mentions) {
    assertThat(e)
        .isExactlyInstanceOf(RefusedException.class)
        .satisfies(r -> assertThat(((RefusedException) r).code()).isEqualTo(code))
        .hasMessageContaining(mentions);
  }

  // ---- runs

  @Test
  void createRunAllocatesSequentialIdsPerDay() {
    Run first = store.createRun(DAY, "alice", NOW, CoreFileSet.standard(), true);
    Run second =
        store.createRun(DAY, "bob", NOW, CoreFileSet.of(java.util.List.of("docsgen.md")), false);

    assertThat(first.runId().toString()).isEqualTo("run_2026_11_28_0001");
    assertThat(second.runId().toString()).isEqualTo("run_2026_11_28_0002");
    assertThat(first.status()).isEqualTo(RunStatus.ACTIVE);
    assertThat(store.findRun(second.runId())).contains(second);
  }

  @Test
  void runSequencesAreCountedPerDay() {
    store.createRun(DAY, "alice", NOW, CoreFileSet.standard(), false);
    store.createRun(DAY, "alice", NOW, CoreFileSet.standard(), false);

    Run nextDay =
        store.createRun(
            DAY.plusDays(1), "alice", NOW.plusSeconds(86_400), CoreFileSet.standard(), false);
    Run sameDayAgain = store.createRun(DAY, "alice", NOW, CoreFileSet.standard(), false);

    assertThat(nextDay.runId()).isEqualTo(RunId.of(DAY.plusDays(1), 1));
    assertThat(sameDayAgain.runId()).isEqualTo(RunId.of(DAY, 3));
  }

  @Test
  void runKeepsItsCreatorTimeCoreFilesAndReadmeFlag() {
    CoreFileSet core = CoreFileSet.of(List.of("docsgen.md", "api.md", "zeta-guide.md"));
    Instant at = Instant.parse("2026-11-28T11:12:13.456Z");

    Run run = store.createRun(DAY, "carol", at, core, true);

    Run found = store.findRun(run.runId()).orElseThrow();
    assertThat(found).isEqualTo(run);
    assertThat(found.createdBy()).isEqualTo("carol");
    assertThat(found.createdAt()).isEqualTo(at);
    assertThat(found.coreFiles()).isEqualTo(core);
    assertThat(found.bundleReadme()).isTrue();
    assertThat(store.findRun(store.createRun(DAY, "d", at, CoreFileSet.standard(), false).runId()))
        .get()
        .extracting(r -> r.coreFiles().size())
        .isEqualTo(CoreFileSet.standard().size());
  }

  @Test
  void concurrentRunCreationsOnOneDayGetDistinctGaplessIds() throws Exception {
    int racers = 16;

    List<Outcome<Run>> outcomes =
        ContractSupport.race(
            racers,
            i -> () -> store.createRun(DAY, "racer-" + i, NOW, CoreFileSet.standard(), false));

    Set<RunId> ids = new HashSet<>();
    for (Outcome<Run> o : outcomes) {
      assertThat(o.failure()).as("racer %s", o.racer()).isNull();
      ids.add(o.result().runId());
    }
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.rangeClosed(1, racers).mapToObj(n -> RunId.of(DAY, n)).toList());
  }

  @Test
  void findRunOfAnUnknownIdIsEmpty() {
    newRun();

    assertThat(store.findRun(RunId.of(DAY, 42))).isEmpty();
    assertThat(store.findRun(RunId.of(DAY.minusDays(1), 1))).isEmpty();
  }

  @Test
  void listRunsIsNewestFirstAcrossPages() {
    List<RunId> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(
          store.createRun(DAY.minusDays(1), "a", NOW, CoreFileSet.standard(), false).runId());
      created.add(store.createRun(DAY, "a", NOW, CoreFileSet.standard(), false).runId());
    }
    created.add(store.createRun(DAY.plusDays(30), "a", NOW, CoreFileSet.standard(), false).runId());
    List<RunId> newestFirst = new ArrayList<>(created);
    newestFirst.sort(Collections.reverseOrder());

    List<Page<Run>> pages = pages(store::listRuns, 3);

    assertThat(pages).hasSize(3);
    assertThat(pages.get(2).nextCursor()).isNull();
    assertThat(flatten(pages)).extracting(Run::runId).containsExactlyElementsOf(newestFirst);
  }

  // ---- executions

  @Test
  void startExecutionNumbersAttemptsFromOne() {
    RunId run = newRun().runId();

    PhaseExecution first = start(run, Stage.phase(1));
    store.finishExecution(first.ref(), ExecutionStatus.FAILED, "boom", NOW.plusSeconds(1));
    PhaseExecution second = start(run, Stage.phase(1));
    PhaseExecution otherStage = start(run, Stage.phase(2));

    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.status()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(first.executor()).isEqualTo("orchestrator");
    assertThat(first.startedAt()).isEqualTo(NOW);
    assertThat(first.finishedAt()).isNull();
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(otherStage.attempt()).isEqualTo(1);
    assertThat(store.findExecution(second.ref())).contains(second);
  }

  @Test
  void secondStartWhileRunningIsRefused() {
    RunId run = newRun().runId();
    PhaseExecution running = start(run, Stage.FINAL);

    Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> start(run, Stage.FINAL));

    assertRefused(e, "execution-already-running", run.toString());
    assertThat(store.findLatestExecution(run, Stage.FINAL)).contains(running);
  }

  @Test
  void concurrentStartsOfOneStageHaveExactlyOneWinner() throws Exception {
    RunId run = newRun().runId();

    List<Outcome<PhaseExecution>> outcomes =
        ContractSupport.race(
            8, i -> () -> store.startExecution(run, Stage.phase(3), "racer-" + i, NOW));

    List<Outcome<PhaseExecution>> winners = outcomes.stream().filter(Outcome::succeeded).toList();
    assertThat(winners).hasSize(1);
    assertThat(winners.get(0).result().attempt()).isEqualTo(1);
    for (Outcome<PhaseExecution> o : outcomes) {
      if (!o.succeeded()) {
        assertRefused(o.failure(), "execution-already-running", run.toString());
      }
    }
    assertThat(store.listExecutions(run, Optional.empty(), PageRequest.first()).items()).hasSize(1);
  }

  @Test
  void startOnAnUnknownRunIsNotFound() {
    RunId unknown = RunId.of(DAY, 77);

    assertThatThrownBy(() -> start(unknown, Stage.phase(1)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.toString());
  }

  @Test
  void finishOnceThenRefusedAsNotRunning() {
    RunId run = newRun().runId();
    PhaseExecution running = start(run, Stage.phase(1));
    Instant finishedAt = NOW.plusSeconds(30);

    PhaseExecution finished =
        store.finishExecution(running.ref(), ExecutionStatus.GATE_FAILED, "2 errors", finishedAt);

    assertThat(finished.status()).isEqualTo(ExecutionStatus.GATE_FAILED);
    assertThat(finished.finishedAt()).isEqualTo(finishedAt);
    assertThat(finished.error()).isEqualTo("2 errors");
    assertThat(store.findExecution(running.ref())).contains(finished);
    assertThat(store.findRunningExecution(run, Stage.phase(1))).isEmpty();
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                store.finishExecution(
                    running.ref(), ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(60)));
    assertRefused(e, "execution-not-running", run.toString());
    assertThat(store.findExecution(running.ref())).contains(finished);
  }

  @Test
  void finishWithoutErrorKeepsErrorNull() {
    RunId run = newRun().runId();
    PhaseExecution running = start(run, Stage.phase(1));

    PhaseExecution finished =
        store.finishExecution(running.ref(), ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(1));

    assertThat(finished.error()).isNull();
    assertThat(store.findExecution(running.ref()).orElseThrow().error()).isNull();
  }

  @Test
  void finishOfAnUnknownExecutionIsNotFound() {
    RunId run = newRun().runId();
    start(run, Stage.phase(1));
    ExecutionRef unknown = new ExecutionRef(run, Stage.phase(1), 2);

    assertThatThrownBy(() -> store.finishExecution(unknown, ExecutionStatus.SUCCEEDED, null, NOW))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(run.toString());
    assertThat(store.findExecution(unknown)).isEmpty();
  }

  @Test
  void finishAsRunningIsInvalidInputAndTheExecutionRunsOn() {
    RunId run = newRun().runId();
    PhaseExecution running = start(run, Stage.phase(1));

    assertThatThrownBy(
            () ->
                store.finishExecution(
                    running.ref(), ExecutionStatus.RUNNING, null, NOW.plusSeconds(1)))
        .isExactlyInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("status"))
        .hasMessageContaining("RUNNING");
    assertThat(store.findExecution(running.ref())).contains(running);
  }

  @Test
  void recordsForAnUnknownRunAreNotFoundAndKeepNothing() throws Exception {
    RunId known = newRun().runId();
    ExecutionRef exec = start(known, Stage.phase(1)).ref();
    RunId unknown = RunId.of(DAY, 77);
    ExecutionRef unknownExec = new ExecutionRef(unknown, Stage.phase(1), 1);
    LogicalPath file = LogicalPath.of(unknown, Stage.phase(1), "a.md");

    assertThatThrownBy(
            () ->
                store.appendApproval(approval(unknown, Stage.FINAL, ApprovalDecision.APPROVED, 1)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.toString());
    assertThatThrownBy(
            () ->
                store.recordIssues(
                    List.of(issue(unknownExec, file, "R", Severity.ERROR, "on no run"))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.toString());
    assertThatThrownBy(() -> store.recordBundle(bundleOf(unknown, unknownExec)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.toString());

    assertThat(store.findRun(unknown)).isEmpty();
    assertThat(store.listApprovals(unknown, Optional.empty(), PageRequest.first()).items())
        .isEmpty();
    assertThat(store.findIssues(IssueQuery.all(unknown), PageRequest.first()).items()).isEmpty();
    assertThat(store.findBundle(unknown)).isEmpty();
    assertThat(store.findExecution(exec).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
  }

  @Test
  void findRunningAndLatestExecution() {
    RunId run = newRun().runId();
    assertThat(store.findRunningExecution(run, Stage.phase(1))).isEmpty();
    assertThat(store.findLatestExecution(run, Stage.phase(1))).isEmpty();

    PhaseExecution first = start(run, Stage.phase(1));
    assertThat(store.findRunningExecution(run, Stage.phase(1))).contains(first);
    PhaseExecution done =
        store.finishExecution(first.ref(), ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(1));
    assertThat(store.findRunningExecution(run, Stage.phase(1))).isEmpty();
    assertThat(store.findLatestExecution(run, Stage.phase(1))).contains(done);
    PhaseExecution second = start(run, Stage.phase(1));
    assertThat(store.findLatestExecution(run, Stage.phase(1))).contains(second);
    assertThat(store.findRunningExecution(run, Stage.phase(2))).isEmpty();
  }

  @Test
  void listExecutionsIsByStageOrderThenAttemptAcrossPages() {
    RunId run = newRun().runId();
    RunId other = newRun().runId();
    List<String> expected = new ArrayList<>();
    for (Stage stage : List.of(Stage.FINAL, Stage.phase(10), Stage.phase(2), Stage.phase(0))) {
      for (int attempt = 1; attempt <= 2; attempt++) {
        PhaseExecution e = start(run, stage);
        store.finishExecution(e.ref(), ExecutionStatus.FAILED, null, NOW.plusSeconds(attempt));
      }
    }
    start(other, Stage.phase(2));
    for (String stage : List.of("phase0", "phase2", "phase10", "final")) {
      expected.add(stage + "@1");
      expected.add(stage + "@2");
    }

    List<Page<PhaseExecution>> pages =
        pages(r -> store.listExecutions(run, Optional.empty(), r), 3);

    assertThat(pages).hasSize(3);
    assertThat(flatten(pages))
        .extracting(e -> e.ref().toString())
        .containsExactlyElementsOf(expected);
    assertThat(store.listExecutions(run, Optional.of(Stage.phase(10)), PageRequest.first()).items())
        .extracting(e -> e.ref().toString())
        .containsExactly("phase10@1", "phase10@2");
  }

  // ---- artifact index

  @Test
  void recordAndFindArtifactLatestAndByGeneration() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "docs/docsgen.md");
    assertThat(store.findArtifact(p)).isEmpty();

    ArtifactRecord first = store.recordArtifact(doc(p, 1, "one"), exec);
    ArtifactRecord second = store.recordArtifact(doc(p, 2, "two"), exec);

    assertThat(first).isEqualTo(new ArtifactRecord(doc(p, 1, "one"), exec));
    assertThat(store.findArtifact(p)).contains(second);
    assertThat(store.findArtifact(p, 1)).contains(first);
    assertThat(store.findArtifact(p, 2)).contains(second);
    assertThat(store.findArtifact(p, 3)).isEmpty();
    assertThat(store.findArtifact(LogicalPath.of(run, Stage.phase(1), "other.md"))).isEmpty();
  }

  @Test
  void recordingTheSameVersionAgainIsIdempotentAndKeepsTheFirstProducer() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "a.md");
    ArtifactRecord first = store.recordArtifact(doc(p, 1, "one"), exec);

    ArtifactRecord again = store.recordArtifact(doc(p, 1, "one"), exec);

    assertThat(again).isEqualTo(first);
    assertThat(store.listArtifacts(ArtifactQuery.allVersions(run), PageRequest.first()).items())
        .containsExactly(first);
  }

  @Test
  void recordingADifferentHashForAnIndexedGenerationIsRefusedByTheStoreLayer() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "a.md");
    ArtifactRecord first = store.recordArtifact(doc(p, 1, "one"), exec);

    assertThatThrownBy(() -> store.recordArtifact(doc(p, 1, "other bytes"), exec))
        .isInstanceOfSatisfying(
            ImmutableException.class,
            e -> {
              assertThat(e.layer()).isEqualTo(ImmutableException.Layer.STORE);
              assertThat(e.path()).isEqualTo(p);
              assertThat(e.currentHash()).contains(first.info().hash());
            })
        .hasMessageContaining(p.toString());
    assertThat(store.findArtifact(p, 1)).contains(first);
  }

  @Test
  void concurrentRecordsOfOneGenerationWithDifferentBytesHaveExactlyOneWinner() throws Exception {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "contended.md");

    List<Outcome<ArtifactRecord>> outcomes =
        ContractSupport.race(8, i -> () -> store.recordArtifact(doc(p, 1, "writer " + i), exec));

    List<Outcome<ArtifactRecord>> winners = outcomes.stream().filter(Outcome::succeeded).toList();
    assertThat(winners).hasSize(1);
    ArtifactRecord winner = winners.get(0).result();
    for (Outcome<ArtifactRecord> o : outcomes) {
      if (!o.succeeded()) {
        assertThat(o.failure())
            .isInstanceOfSatisfying(
                ImmutableException.class,
                e -> {
                  assertThat(e.layer()).isEqualTo(ImmutableException.Layer.STORE);
                  assertThat(e.path()).isEqualTo(p);
                  assertThat(e.currentHash()).contains(winner.info().hash());
                })
            .hasMessageContaining(p.toString());
      }
    }
    assertThat(store.findArtifact(p, 1)).contains(winner);
  }

  @Test
  void concurrentRecordsOfTheSameVersionAllSucceed() throws Exception {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "same.md");

    List<Outcome<ArtifactRecord>> outcomes =
        ContractSupport.race(8, i -> () -> store.recordArtifact(doc(p, 1, "same bytes"), exec));

    for (Outcome<ArtifactRecord> o : outcomes) {
      assertThat(o.failure()).as("racer %s", o.racer()).isNull();
      assertThat(o.result().info()).isEqualTo(doc(p, 1, "same bytes"));
    }
    assertThat(store.listArtifacts(ArtifactQuery.allVersions(run), PageRequest.first()).items())
        .hasSize(1);
  }

  @Test
  void listArtifactsLatestOnlyVersusAllVersions() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath a = LogicalPath.of(run, Stage.phase(1), "a.md");
    LogicalPath b = LogicalPath.of(run, Stage.phase(1), "b.md");
    ArtifactRecord a1 = store.recordArtifact(doc(a, 1, "a1"), exec);
    ArtifactRecord b1 = store.recordArtifact(doc(b, 1, "b1"), exec);
    ArtifactRecord a2 = store.recordArtifact(doc(a, 2, "a2"), exec);
    ArtifactRecord a3 = store.recordArtifact(doc(a, 3, "a3"), exec);

    assertThat(store.listArtifacts(ArtifactQuery.latest(run), PageRequest.first()).items())
        .containsExactly(a3, b1);
    assertThat(store.listArtifacts(ArtifactQuery.allVersions(run), PageRequest.first()).items())
        .containsExactly(a1, a2, a3, b1);
  }

  @Test
  void listArtifactsFiltersByStageAndTypeAndRun() {
    RunId run = newRun().runId();
    RunId other = newRun().runId();
    ExecutionRef p1 = start(run, Stage.phase(1)).ref();
    ExecutionRef fin = start(run, Stage.FINAL).ref();
    ExecutionRef otherExec = start(other, Stage.phase(1)).ref();
    ArtifactRecord doc1 =
        store.recordArtifact(doc(LogicalPath.of(run, Stage.phase(1), "a.md"), 1, "a"), p1);
    ArtifactRecord report1 =
        store.recordArtifact(
            info(
                LogicalPath.of(run, Stage.phase(1), "report.json"),
                1,
                "{}",
                ArtifactType.VALIDATION_REPORT),
            p1);
    ArtifactRecord docFinal =
        store.recordArtifact(doc(LogicalPath.of(run, Stage.FINAL, "a.md"), 1, "final a"), fin);
    store.recordArtifact(doc(LogicalPath.of(other, Stage.phase(1), "a.md"), 1, "x"), otherExec);

    ArtifactQuery latest = ArtifactQuery.latest(run);
    assertThat(store.listArtifacts(latest, PageRequest.first()).items())
        .containsExactly(docFinal, doc1, report1);
    assertThat(store.listArtifacts(latest.inStage(Stage.phase(1)), PageRequest.first()).items())
        .containsExactly(doc1, report1);
    assertThat(
            store
                .listArtifacts(latest.ofType(ArtifactType.DOCUMENTATION), PageRequest.first())
                .items())
        .containsExactly(docFinal, doc1);
    assertThat(
            store
                .listArtifacts(
                    latest.inStage(Stage.phase(1)).ofType(ArtifactType.VALIDATION_REPORT),
                    PageRequest.first())
                .items())
        .containsExactly(report1);
    assertThat(store.listArtifacts(latest.inStage(Stage.phase(9)), PageRequest.first()).items())
        .isEmpty();
  }

  @Test
  void listArtifactsPaginatesWithoutDuplicatesOrGaps() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    List<LogicalPath> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      LogicalPath p = LogicalPath.of(run, Stage.phase(1), "f-" + ((i * 7) % 25) + "-" + i + ".md");
      store.recordArtifact(doc(p, 1, "c" + i), exec);
      expected.add(p);
    }
    Collections.sort(expected);

    List<Page<ArtifactRecord>> pages =
        pages(r -> store.listArtifacts(ArtifactQuery.latest(run), r), 10);

    assertThat(pages).hasSize(3);
    assertThat(pages.get(2).items()).hasSize(5);
    assertThat(flatten(pages)).extracting(r -> r.info().path()).containsExactlyElementsOf(expected);
  }

  @Test
  void executionOutputsIncludeConfirmedIdenticalRewrites() {
    RunId run = newRun().runId();
    PhaseExecution first = start(run, Stage.phase(1));
    LogicalPath a = LogicalPath.of(run, Stage.phase(1), "a.md");
    LogicalPath b = LogicalPath.of(run, Stage.phase(1), "b.md");
    ArtifactRecord a1 = store.recordArtifact(doc(a, 1, "a"), first.ref());
    store.recordArtifact(doc(b, 1, "b"), first.ref());
    store.finishExecution(first.ref(), ExecutionStatus.FAILED, null, NOW.plusSeconds(1));
    PhaseExecution second = start(run, Stage.phase(1));

    ArtifactRecord confirmed = store.recordArtifact(doc(a, 1, "a"), second.ref());

    assertThat(confirmed).isEqualTo(a1);
    assertThat(confirmed.producedBy()).isEqualTo(first.ref());
    assertThat(store.listExecutionOutputs(second.ref(), PageRequest.first()).items())
        .extracting(r -> r.info().version())
        .containsExactly(a1.info().version());
    assertThat(store.listExecutionOutputs(first.ref(), PageRequest.first()).items())
        .extracting(r -> r.info().path())
        .containsExactly(a, b);
  }

  @Test
  void executionOutputsListOneVersionPerPathTheHighestTouchedAcrossPages() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    List<LogicalPath> paths = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      LogicalPath p = LogicalPath.of(run, Stage.phase(1), "out-" + i + ".md");
      store.recordArtifact(doc(p, 1, "g1 " + i), exec);
      store.recordArtifact(doc(p, 2, "g2 " + i), exec);
      paths.add(p);
    }

    List<Page<ArtifactRecord>> pages = pages(r -> store.listExecutionOutputs(exec, r), 3);

    assertThat(pages).hasSize(3);
    assertThat(flatten(pages))
        .extracting(r -> r.info().path() + "@" + r.info().generation())
        .containsExactlyElementsOf(paths.stream().map(p -> p + "@2").toList());
    assertThat(
            store
                .listExecutionOutputs(new ExecutionRef(run, Stage.phase(1), 9), PageRequest.first())
                .items())
        .isEmpty();
  }

  // ---- issues

  // ---- writes decided where they commit (recordWrite)

  private List<ArtifactRecord> outputsOf(ExecutionRef ref) {
    return store.listExecutionOutputs(ref, PageRequest.first()).items();
  }

  // ---- write context

  @Test
  void theWriteContextOfAnUnknownRunIsEmpty() {
    newRun();
    RunId unknown = RunId.of(DAY.plusDays(1), 1);
    assertThat(store.findWriteContext(LogicalPath.of(unknown, Stage.phase(1), "docs/a.md")))
        .isEmpty();
  }

  @Test
  void theWriteContextAnswersWhatTheFourLookupsAnswerForThePathAndItsStageOnly() {
    Run run = newRun();
    Stage stage = Stage.phase(1);
    LogicalPath p = LogicalPath.of(run.runId(), stage, "docs/a.md");
    WriteContext nothingYet =
        new WriteContext(run, Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(store.findWriteContext(p)).contains(nothingYet);

    // neighbours: the same path and stage of another run, another stage of this run
    RunId other = newRun().runId();
    PhaseExecution otherRunning = start(other, stage);
    store.recordArtifact(
        doc(LogicalPath.of(other, stage, "docs/a.md"), 1, "x"), otherRunning.ref());
    store.appendApproval(approval(other, stage, ApprovalDecision.APPROVED, 1));
    PhaseExecution phase2 = start(run.runId(), Stage.phase(2));
    store.recordArtifact(
        doc(LogicalPath.of(run.runId(), Stage.phase(2), "docs/a.md"), 1, "y"), phase2.ref());
    store.appendApproval(approval(run.runId(), Stage.phase(2), ApprovalDecision.APPROVED, 2));
    assertThat(store.findWriteContext(p)).contains(nothingYet);

    PhaseExecution first = start(run.runId(), stage);
    store.recordArtifact(doc(p, 1, "one"), first.ref());
    ArtifactRecord two = store.recordArtifact(doc(p, 2, "two"), first.ref());
    store.recordArtifact(doc(LogicalPath.of(run.runId(), stage, "docs/b.md"), 3, "b"), first.ref());
    store.appendApproval(approval(run.runId(), stage, ApprovalDecision.APPROVED, 3));
    ApprovalEvent latest = approval(run.runId(), stage, ApprovalDecision.REVOKED, 4);
    store.appendApproval(latest);

    WriteContext context = store.findWriteContext(p).orElseThrow();
    assertThat(context)
        .isEqualTo(
            new WriteContext(run, Optional.of(first), Optional.of(latest), Optional.of(two)));
    assertThat(context)
        .isEqualTo(
            new WriteContext(
                store.findRun(run.runId()).orElseThrow(),
                store.findRunningExecution(run.runId(), stage),
                store.findLatestApproval(run.runId(), stage),
                store.findArtifact(p)));

    PhaseExecution done =
        store.finishExecution(first.ref(), ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(5));
    assertThat(done.isRunning()).isFalse();
    assertThat(store.findWriteContext(p).orElseThrow().running()).isEmpty();
    PhaseExecution second = start(run.runId(), stage);
    assertThat(store.findWriteContext(p).orElseThrow().running()).contains(second);
    assertThat(store.findWriteContext(LogicalPath.of(run.runId(), stage, "docs/c.md")))
        .contains(
            new WriteContext(run, Optional.of(second), Optional.of(latest), Optional.empty()));
  }

  /**
   * Writers commit start, index and finish, in turn, while readers take write contexts: every
   * context is of one instant, so while attempt {@code a} runs the path's latest generation is
   * {@code a - 1} (none for the first) or {@code a}, never one a later attempt indexed. Four
   * separate reads can see attempt {@code a} running and then generation {@code a + 1}, but only
   * when two commits fall between two of their reads: such an implementation passes here almost
   * always (seen with the JDBC manifest answering by four look-ups). What this checks is that the
   * answers are never torn under concurrent writes; the JDBC manifest's one statement is what makes
   * them one instant.
   */
  @Test
  void theWriteContextIsOneInstantWhileWritesCommit() throws Exception {
    RunId run = newRun().runId();
    Stage stage = Stage.phase(1);
    LogicalPath p = LogicalPath.of(run, stage, "docs/a.md");
    java.util.concurrent.atomic.AtomicBoolean writing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.ExecutorService readers =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    // the writes start once both readers have read once: a fast store (the in-memory one) would
    // otherwise finish all thirty before a reader thread ran at all
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(2);
    try {
      List<java.util.concurrent.Future<Integer>> reads = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        reads.add(
            readers.submit(
                () -> {
                  int seen = 0;
                  while (writing.get()) {
                    try {
                      WriteContext c = store.findWriteContext(p).orElseThrow();
                      int generation = c.indexed().map(x -> x.info().generation()).orElse(0);
                      if (c.running().isPresent()) {
                        int attempt = c.running().get().attempt();
                        assertThat(generation)
                            .as("latest generation while attempt %d runs", attempt)
                            .isBetween(attempt - 1, attempt);
                      }
                    } finally {
                      if (seen++ == 0) {
                        reading.countDown();
                      }
                    }
                  }
                  return seen;
                }));
      }
      assertThat(reading.await(60, java.util.concurrent.TimeUnit.SECONDS))
          .as("both readers started")
          .isTrue();
      for (int attempt = 1; attempt <= 30; attempt++) {
        PhaseExecution e = start(run, stage);
        store.recordArtifact(doc(p, attempt, "v" + attempt), e.ref());
        store.finishExecution(e.ref(), ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(attempt));
      }
      writing.set(false);
      for (java.util.concurrent.Future<Integer> read : reads) {
        assertThat(read.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      writing.set(false);
      readers.shutdownNow();
    }
  }

  private static void assertPolicyRefused(Throwable e, LogicalPath path, String code) {
    assertThat(e)
        .isInstanceOfSatisfying(
            ImmutableException.class,
            i -> {
              assertThat(i.layer()).isEqualTo(ImmutableException.Layer.POLICY);
              assertThat(i.path()).isEqualTo(path);
            })
        .hasMessageContaining(path.toString())
        .hasMessageContaining(code);
  }

  @Test
  void recordWriteIndexesAWriteOfTheRunningExecution() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "a.md");

    ArtifactRecord recorded = store.recordWrite(doc(p, 1, "one"), exec);

    assertThat(recorded).isEqualTo(new ArtifactRecord(doc(p, 1, "one"), exec));
    assertThat(store.findArtifact(p)).contains(recorded);
    assertThat(outputsOf(exec)).containsExactly(recorded);
  }

  @Test
  void recordWriteIsRefusedOnceItsExecutionFinishedWhateverItsStatus() {
    for (ExecutionStatus status : List.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED)) {
      RunId run = newRun().runId();
      ExecutionRef exec = start(run, Stage.phase(1)).ref();
      LogicalPath p = LogicalPath.of(run, Stage.phase(1), "late.md");
      store.finishExecution(exec, status, null, NOW.plusSeconds(5));

      Throwable e =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> store.recordWrite(doc(p, 1, "late"), exec));

      assertRefused(e, "execution-finished", p.toString());
      assertThat(e).hasMessageContaining(status.name());
      assertThat(store.findArtifact(p)).isEmpty();
      assertThat(outputsOf(exec)).isEmpty();
    }
  }

  @Test
  void aWriteOfAFinishedAttemptIsNotAdoptedByTheNextAttempt() {
    RunId run = newRun().runId();
    ExecutionRef first = start(run, Stage.phase(1)).ref();
    store.finishExecution(first, ExecutionStatus.FAILED, "boom", NOW.plusSeconds(5));
    ExecutionRef second = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "late.md");

    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> store.recordWrite(doc(p, 1, "late"), first));

    assertRefused(e, "execution-finished", p.toString());
    assertThat(store.findArtifact(p)).isEmpty();
    assertThat(outputsOf(second)).isEmpty();
    assertThat(store.recordWrite(doc(p, 1, "late"), second).producedBy()).isEqualTo(second);
  }

  @Test
  void recordWriteIsRefusedInAnApprovedStageUntilTheApprovalIsLifted() {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "a.md");
    store.appendApproval(approval(run, Stage.phase(1), ApprovalDecision.APPROVED, 1));

    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> store.recordWrite(doc(p, 1, "one"), exec));

    assertPolicyRefused(e, p, "stage-approved");
    assertThat(store.findArtifact(p)).isEmpty();
    assertThat(outputsOf(exec)).isEmpty();
    // another stage's approval does not close this one; a revocation lifts it
    store.appendApproval(approval(run, Stage.phase(2), ApprovalDecision.APPROVED, 2));
    store.appendApproval(approval(run, Stage.phase(1), ApprovalDecision.REVOKED, 3));
    assertThat(store.recordWrite(doc(p, 1, "one"), exec).info().path()).isEqualTo(p);
  }

  @Test
  void recordWriteIsRefusedInABundledRunEvenWhileItsExecutionRuns() {
    RunId run = newRun().runId();
    ExecutionRef phase2 = start(run, Stage.phase(2)).ref();
    ExecutionRef fin = start(run, Stage.FINAL).ref();
    store.finishExecution(fin, ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(1));
    store.recordBundle(bundleOf(run, fin));
    LogicalPath p = LogicalPath.of(run, Stage.phase(2), "late.md");

    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> store.recordWrite(doc(p, 1, "late"), phase2));

    assertPolicyRefused(e, p, "run-bundled");
    assertThat(store.findArtifact(p)).isEmpty();
    assertThat(outputsOf(phase2)).isEmpty();
  }

  @Test
  void recordWriteOfAnUnknownExecutionIsNotFound() {
    RunId run = newRun().runId();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "a.md");

    assertThatThrownBy(
            () -> store.recordWrite(doc(p, 1, "one"), new ExecutionRef(run, Stage.phase(1), 7)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(run.toString());
    assertThat(store.findArtifact(p)).isEmpty();
  }

  @Test
  void writesRacingTheFinishOfTheirExecutionAreIndexedExactlyWhenAcknowledged() throws Exception {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    int writers = 12;

    List<Outcome<Object>> outcomes =
        ContractSupport.race(
            writers + 1,
            i ->
                () ->
                    i == writers
                        ? store.finishExecution(
                            exec, ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(9))
                        : store.recordWrite(
                            doc(LogicalPath.of(run, Stage.phase(1), "w" + i + ".md"), 1, "w" + i),
                            exec));

    List<LogicalPath> acknowledged = new ArrayList<>();
    for (Outcome<Object> o : outcomes) {
      if (o.racer() == writers) {
        assertThat(o.succeeded()).isTrue();
      } else if (o.succeeded()) {
        acknowledged.add(((ArtifactRecord) o.result()).info().path());
      } else {
        assertRefused(o.failure(), "execution-finished", "w" + o.racer() + ".md");
      }
    }
    assertThat(outputsOf(exec).stream().map(r -> r.info().path()).toList())
        .containsExactlyInAnyOrderElementsOf(acknowledged);
    assertThat(
            store.listArtifacts(ArtifactQuery.allVersions(run), PageRequest.first()).items().size())
        .isEqualTo(acknowledged.size());
  }

  private record IssueFixture(
      RunId run, ExecutionRef p1a1, ExecutionRef p1a2, LogicalPath a, LogicalPath b) {}

  private IssueFixture issueFixture() {
    RunId run = newRun().runId();
    PhaseExecution e1 = start(run, Stage.phase(1));
    store.finishExecution(e1.ref(), ExecutionStatus.GATE_FAILED, null, NOW.plusSeconds(1));
    PhaseExecution e2 = start(run, Stage.phase(1));
    return new IssueFixture(
        run,
        e1.ref(),
        e2.ref(),
        LogicalPath.of(run, Stage.phase(1), "a.md"),
        LogicalPath.of(run, Stage.phase(1), "b.md"));
  }

  @Test
  void recordIssuesAssignsIdsAndReturnsThemInInputOrder() {
    IssueFixture f = issueFixture();
    List<ValidationIssue> input =
        List.of(
            issue(f.p1a1(), f.a(), "MD001", Severity.ERROR, "heading level skipped at line 3"),
            issue(f.p1a1(), f.b(), "LINK", Severity.WARNING, "dead link"),
            issue(f.p1a1(), f.a(), "STYLE", Severity.INFO, "long line"));

    List<ValidationIssue> recorded = store.recordIssues(input);

    assertThat(recorded).hasSize(3);
    assertThat(recorded).extracting(ValidationIssue::id).doesNotHaveDuplicates();
    for (int i = 0; i < 3; i++) {
      ValidationIssue r = recorded.get(i);
      assertThat(r.rule()).isEqualTo(input.get(i).rule());
      assertThat(r).usingRecursiveComparison().ignoringFields("id").isEqualTo(input.get(i));
      assertThat(store.findIssue(f.run(), r.id())).contains(r);
    }
    assertThat(store.findIssue(f.run(), 987_654_321L)).isEmpty();
    assertThat(store.findIssue(newRun().runId(), recorded.get(0).id())).isEmpty();
  }

  @Test
  void findIssuesFiltersByFileRuleSeverityAndExecution() {
    IssueFixture f = issueFixture();
    List<ValidationIssue> r =
        store.recordIssues(
            List.of(
                issue(f.p1a1(), f.a(), "MD001", Severity.ERROR, "e1"),
                issue(f.p1a1(), f.b(), "MD001", Severity.WARNING, "w1"),
                issue(f.p1a2(), f.a(), "LINK", Severity.ERROR, "e2"),
                issue(f.p1a2(), f.b(), "STYLE", Severity.INFO, "i1")));
    IssueQuery all = IssueQuery.all(f.run());

    assertThat(store.findIssues(all, PageRequest.first()).items()).containsExactlyElementsOf(r);
    assertThat(store.findIssues(all.withFile(f.a()), PageRequest.first()).items())
        .containsExactly(r.get(0), r.get(2));
    assertThat(store.findIssues(all.withRule("MD001"), PageRequest.first()).items())
        .containsExactly(r.get(0), r.get(1));
    assertThat(store.findIssues(all.withSeverity(Severity.ERROR), PageRequest.first()).items())
        .containsExactly(r.get(0), r.get(2));
    assertThat(store.findIssues(all.ofExecution(Stage.phase(1), 2), PageRequest.first()).items())
        .containsExactly(r.get(2), r.get(3));
    assertThat(
            store
                .findIssues(
                    all.ofExecution(Stage.phase(1), 1)
                        .withFile(f.b())
                        .withSeverity(Severity.WARNING),
                    PageRequest.first())
                .items())
        .containsExactly(r.get(1));
    assertThat(store.findIssues(all.withRule("NOPE"), PageRequest.first()).items()).isEmpty();
    assertThat(store.findIssues(IssueQuery.all(newRun().runId()), PageRequest.first()).items())
        .isEmpty();
  }

  @Test
  void findIssuesPaginatesInIdOrder() {
    IssueFixture f = issueFixture();
    List<ValidationIssue> batch = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      batch.add(issue(f.p1a2(), f.a(), "R" + i, Severity.WARNING, "message " + i));
    }
    List<ValidationIssue> recorded = store.recordIssues(batch);

    List<Page<ValidationIssue>> pages =
        pages(r -> store.findIssues(IssueQuery.all(f.run()), r), 10);

    assertThat(pages).hasSize(3);
    List<ValidationIssue> all = flatten(pages);
    assertThat(all).containsExactlyElementsOf(recorded);
    assertThat(all).extracting(ValidationIssue::id).isSorted();
  }

  @Test
  void countIssuesBySeverityListsEverySeverityIncludingZeros() {
    IssueFixture f = issueFixture();
    IssueQuery all = IssueQuery.all(f.run());
    assertThat(store.countIssuesBySeverity(all))
        .isEqualTo(Map.of(Severity.ERROR, 0L, Severity.WARNING, 0L, Severity.INFO, 0L));
    store.recordIssues(
        List.of(
            issue(f.p1a1(), f.a(), "A", Severity.ERROR, "e"),
            issue(f.p1a1(), f.a(), "B", Severity.ERROR, "e"),
            issue(f.p1a2(), f.b(), "C", Severity.WARNING, "w")));

    assertThat(store.countIssuesBySeverity(all))
        .isEqualTo(Map.of(Severity.ERROR, 2L, Severity.WARNING, 1L, Severity.INFO, 0L));
    assertThat(store.countIssuesBySeverity(all.ofExecution(Stage.phase(1), 2)))
        .isEqualTo(Map.of(Severity.ERROR, 0L, Severity.WARNING, 1L, Severity.INFO, 0L));
    assertThat(store.countIssuesBySeverity(all.withFile(f.a()).withSeverity(Severity.ERROR)))
        .isEqualTo(Map.of(Severity.ERROR, 2L, Severity.WARNING, 0L, Severity.INFO, 0L));
  }

  @Test
  void issuesKeepLocationValidatorFingerprintAndGeneration() {
    IssueFixture f = issueFixture();
    ValidationIssue noLocation =
        new ValidationIssue(
            0,
            f.run(),
            Stage.phase(1),
            1,
            f.b(),
            3,
            "R",
            Severity.INFO,
            "m",
            IssueLocation.none(),
            "v2",
            Fingerprint.of("R", f.b(), "m"));
    ValidationIssue lineOnly =
        new ValidationIssue(
            0,
            f.run(),
            Stage.phase(1),
            1,
            f.a(),
            2,
            "R",
            Severity.INFO,
            "m",
            IssueLocation.line(9),
            "v2",
            Fingerprint.of("R", f.a(), "m"));

    List<ValidationIssue> recorded = store.recordIssues(List.of(noLocation, lineOnly));

    assertThat(store.findIssue(f.run(), recorded.get(0).id()).orElseThrow())
        .usingRecursiveComparison()
        .ignoringFields("id")
        .isEqualTo(noLocation);
    assertThat(store.findIssue(f.run(), recorded.get(1).id()).orElseThrow())
        .usingRecursiveComparison()
        .ignoringFields("id")
        .isEqualTo(lineOnly);
  }

  // ---- approvals

  private ApprovalEvent approval(RunId run, Stage stage, ApprovalDecision d, int second) {
    return new ApprovalEvent(
        run,
        stage,
        d,
        "approver-" + second,
        second % 2 == 0 ? "" : "looks good " + second,
        NOW.plusSeconds(second),
        ContentHash.sha256(("digest " + second).getBytes(UTF_8)));
  }

  @Test
  void approvalsAreListedOldestFirstAndTheLatestIsInForce() {
    RunId run = newRun().runId();
    assertThat(store.findLatestApproval(run, Stage.FINAL)).isEmpty();
    List<ApprovalEvent> finalEvents =
        List.of(
            approval(run, Stage.FINAL, ApprovalDecision.APPROVED, 1),
            approval(run, Stage.FINAL, ApprovalDecision.REVOKED, 2),
            approval(run, Stage.FINAL, ApprovalDecision.REJECTED, 3));
    ApprovalEvent phase = approval(run, Stage.phase(1), ApprovalDecision.APPROVED, 4);
    store.appendApproval(finalEvents.get(0));
    store.appendApproval(finalEvents.get(1));
    store.appendApproval(phase);
    store.appendApproval(finalEvents.get(2));

    assertThat(store.listApprovals(run, Optional.of(Stage.FINAL), PageRequest.first()).items())
        .containsExactlyElementsOf(finalEvents);
    assertThat(store.findLatestApproval(run, Stage.FINAL)).contains(finalEvents.get(2));
    assertThat(store.findLatestApproval(run, Stage.phase(1))).contains(phase);
    List<Page<ApprovalEvent>> pages = pages(r -> store.listApprovals(run, Optional.empty(), r), 3);
    assertThat(pages).hasSize(2);
    assertThat(flatten(pages))
        .containsExactly(finalEvents.get(0), finalEvents.get(1), phase, finalEvents.get(2));
  }

  @Test
  void approvalsAreAppendOnlyInTheBackend() throws Exception {
    RunId run = newRun().runId();
    assumeTrue(
        rawApprovalRowCount(run).isPresent(),
        "override rawApprovalRowCount(RunId) to check append-only through the raw backend");
    ApprovalEvent first = approval(run, Stage.FINAL, ApprovalDecision.APPROVED, 1);
    store.appendApproval(first);
    assertThat(rawApprovalRowCount(run)).hasValue(1);

    // the same decision again is a new event, never an update of the first
    ApprovalEvent second = approval(run, Stage.FINAL, ApprovalDecision.APPROVED, 1);
    store.appendApproval(second);

    assertThat(rawApprovalRowCount(run)).hasValue(2);
    assertThat(store.listApprovals(run, Optional.empty(), PageRequest.first()).items())
        .containsExactly(first, second);
  }

  @Test
  void concurrentAppendsLoseNoApproval() throws Exception {
    RunId run = newRun().runId();

    List<Outcome<ApprovalEvent>> outcomes =
        ContractSupport.race(
            8,
            i ->
                () ->
                    store.appendApproval(approval(run, Stage.FINAL, ApprovalDecision.APPROVED, i)));

    assertThat(outcomes).allMatch(Outcome::succeeded);
    assertThat(store.listApprovals(run, Optional.empty(), PageRequest.first()).items())
        .containsExactlyInAnyOrderElementsOf(outcomes.stream().map(Outcome::result).toList());
  }

  // ---- bundles

  private BundleRecord bundleOf(RunId run, ExecutionRef finalExec) {
    LogicalPath zip = LogicalPath.of(run, Stage.FINAL, "docsgen-documentation-bundle.zip");
    LogicalPath docsgen = LogicalPath.of(run, Stage.FINAL, "docsgen.md");
    ContentHash docHash = ContentHash.sha256("doc".getBytes(UTF_8));
    return new BundleRecord(
        run,
        new ArtifactVersion(zip, 1, ContentHash.sha256("zip".getBytes(UTF_8))),
        1234,
        List.of(
            new BundleEntry("README.md", ContentHash.sha256("readme".getBytes(UTF_8)), 6, null),
            new BundleEntry("docsgen.md", docHash, 3, new ArtifactVersion(docsgen, 2, docHash))),
        finalExec,
        "bundler",
        NOW.plusSeconds(100),
        "{\"run\":\"" + run + "\"}",
        "c2lnbmF0dXJl");
  }

  @Test
  void recordBundleStoresItAndMarksTheRunBundled() {
    RunId run = newRun().runId();
    ExecutionRef fin = start(run, Stage.FINAL).ref();
    store.finishExecution(fin, ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(1));
    assertThat(store.findBundle(run)).isEmpty();
    BundleRecord bundle = bundleOf(run, fin);

    BundleRecord recorded = store.recordBundle(bundle);

    assertThat(recorded).isEqualTo(bundle);
    assertThat(store.findBundle(run)).contains(bundle);
    assertThat(store.findRun(run).orElseThrow().status()).isEqualTo(RunStatus.BUNDLED);
  }

  @Test
  void aSecondBundleIsRefusedAsAlreadyBundled() {
    RunId run = newRun().runId();
    ExecutionRef fin = start(run, Stage.FINAL).ref();
    store.finishExecution(fin, ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(1));
    BundleRecord bundle = store.recordBundle(bundleOf(run, fin));

    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> store.recordBundle(bundleOf(run, fin)));

    assertRefused(e, "already-bundled", run.toString());
    assertThat(store.findBundle(run)).contains(bundle);
  }

  @Test
  void concurrentBundleRecordsHaveExactlyOneWinner() throws Exception {
    RunId run = newRun().runId();
    ExecutionRef fin = start(run, Stage.FINAL).ref();
    store.finishExecution(fin, ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(1));

    List<Outcome<BundleRecord>> outcomes =
        ContractSupport.race(8, i -> () -> store.recordBundle(bundleOf(run, fin)));

    assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(1);
    for (Outcome<BundleRecord> o : outcomes) {
      if (!o.succeeded()) {
        assertRefused(o.failure(), "already-bundled", run.toString());
      }
    }
    assertThat(store.findRun(run).orElseThrow().status()).isEqualTo(RunStatus.BUNDLED);
  }

  @Test
  void bundlesAreKeptPerRun() {
    RunId one = newRun().runId();
    RunId two = newRun().runId();
    ExecutionRef fin = start(one, Stage.FINAL).ref();
    store.finishExecution(fin, ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(1));

    store.recordBundle(bundleOf(one, fin));

    assertThat(store.findBundle(two)).isEmpty();
    assertThat(store.findRun(two).orElseThrow().status()).isEqualTo(RunStatus.ACTIVE);
  }

  // ---- health

  @Test
  void healthIsUp() {
    StoreHealth health = store.health();

    assertThat(health.up()).isTrue();
    assertThat(health.backend()).isNotBlank();
  }
}
