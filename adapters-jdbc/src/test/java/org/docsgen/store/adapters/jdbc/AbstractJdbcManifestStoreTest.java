package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.docsgen.store.ports.contract.ManifestStoreContract;
import org.docsgen.store.ports.error.BackendUnavailableException;
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
import org.junit.jupiter.api.Test;

/**
 * The manifest contract plus what only a database can get wrong: atomicity under concurrent writers
 * (16 threads), keyset pages, transactions, the schema's own constraints and the translation of
 * database failures. Subclasses supply the database.
 */
abstract class AbstractJdbcManifestStoreTest extends ManifestStoreContract {
  static final List<String> MANIFEST_TABLES =
      List.of(
          "runs",
          "run_sequences",
          "executions",
          "artifacts",
          "execution_outputs",
          "issues",
          "approvals",
          "bundles",
          "bundle_entries");
  private static final int THREADS = 16;

  protected JdbcSettings settings;

  /** Settings of a new, empty database location (SQLite file, PostgreSQL schema). */
  protected abstract JdbcSettings newSettings();

  /** A raw JDBC connection to the same location, bypassing the adapter. */
  protected abstract Connection rawConnection() throws SQLException;

  /** Settings naming a database that cannot be reached. */
  protected abstract JdbcSettings unreachableSettings();

  @Override
  protected ManifestStore createStore() {
    settings = newSettings();
    return new JdbcManifestStore(JdbcDatabase.open(settings));
  }

  @Override
  protected void assertBackendEmpty() throws SQLException {
    for (String table : MANIFEST_TABLES) {
      assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
    }
  }

  @Override
  protected OptionalLong rawApprovalRowCount(RunId runId) throws SQLException {
    return OptionalLong.of(count("SELECT COUNT(*) FROM approvals WHERE run_id = '" + runId + "'"));
  }

  @Override
  protected void closeStore() {
    ((JdbcManifestStore) store).close();
  }

  long count(String sql) throws SQLException {
    try (Connection c = rawConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  void executeRaw(String sql) throws SQLException {
    try (Connection c = rawConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static ArtifactInfo preciseDoc(LogicalPath path, int generation, String content) {
    byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new ArtifactInfo(
        path,
        ArtifactType.DOCUMENTATION,
        ContentHash.sha256(bytes),
        bytes.length,
        "text/markdown",
        "orchestrator",
        NOW.plusNanos(123_456_789),
        generation);
  }

  static ValidationIssue issueOf(PhaseExecution e, LogicalPath file, String rule, Severity s) {
    String message = rule + " broken at line 3";
    return new ValidationIssue(
        0,
        e.runId(),
        e.stage(),
        e.attempt(),
        file,
        1,
        rule,
        s,
        message,
        new IssueLocation(3, 1, 4, null),
        "lint",
        Fingerprint.of(rule, file, message));
  }

  /** Runs {@code task} on 16 threads released together; returns each outcome (value or error). */
  static <T> List<Object> concurrently(Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  try {
                    return (Object) task.call();
                  } catch (RuntimeException e) {
                    return e;
                  }
                }));
      }
      ready.await();
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get(2, TimeUnit.MINUTES));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- runs

  @Test
  void concurrentCreatesOnOneDayGetDistinctGaplessIds() throws Exception {
    int perThread = 8;
    List<Object> outcomes =
        concurrently(
            () -> {
              List<Integer> seqs = new ArrayList<>();
              for (int i = 0; i < perThread; i++) {
                seqs.add(newRun().runId().sequence());
              }
              return seqs;
            });

    List<Integer> all = new ArrayList<>();
    for (Object outcome : outcomes) {
      assertThat(outcome).isInstanceOf(List.class);
      for (Object seq : (List<?>) outcome) {
        all.add((Integer) seq);
      }
    }
    Collections.sort(all);
    assertThat(all)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 16 * perThread).boxed().toList());
    assertThat(count("SELECT COUNT(*) FROM runs")).isEqualTo(16L * perThread);
  }

  @Test
  void sequencesArePerDayAndListingIsNewestFirstAcrossPages() {
    for (int day = 1; day <= 3; day++) {
      for (int i = 0; i < 4; i++) {
        store.createRun(DAY.plusDays(day), "a", NOW, CoreFileSet.standard(), true);
      }
    }
    List<RunId> listed = new ArrayList<>();
    PageRequest request = PageRequest.first(5);
    int pages = 0;
    while (true) {
      Page<Run> page = store.listRuns(request);
      pages++;
      page.items().forEach(r -> listed.add(r.runId()));
      if (page.nextCursor() == null) {
        break;
      }
      request = request.next(page.nextCursor());
    }
    assertThat(pages).isEqualTo(3);
    assertThat(listed).hasSize(12).isSortedAccordingTo(Collections.reverseOrder());
    assertThat(listed.get(0).toString()).isEqualTo("run_2026_12_01_0004");
    assertThat(listed.get(11).toString()).isEqualTo("run_2026_11_29_0001");
  }

  @Test
  void sequencesBeyondFourDigitsStillSortNumerically() throws SQLException {
    executeRaw("INSERT INTO run_sequences (run_day, last_seq) VALUES ('2026-11-28', 9998)");
    Run a = newRun();
    Run b = newRun();
    assertThat(a.runId().toString()).isEqualTo("run_2026_11_28_9999");
    assertThat(b.runId().toString()).isEqualTo("run_2026_11_28_10000");
    assertThat(store.listRuns(PageRequest.first()).items())
        .extracting(Run::runId)
        .containsExactly(b.runId(), a.runId());
  }

  @Test
  void instantsRoundTripToTheNanosecond() {
    Instant precise = Instant.parse("2026-11-28T10:00:00.123456789Z");
    Run run = store.createRun(DAY, "alice", precise, CoreFileSet.standard(), true);
    assertThat(store.findRun(run.runId()).orElseThrow().createdAt()).isEqualTo(precise);
  }

  // ---- executions

  @Test
  void concurrentStartsOfOneStageLetExactlyOneRun() throws Exception {
    Run run = newRun();
    List<Object> outcomes = concurrently(() -> start(run.runId(), Stage.phase(1)));

    assertThat(outcomes).filteredOn(PhaseExecution.class::isInstance).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> !(o instanceof PhaseExecution))
        .hasSize(15)
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfSatisfying(
                        RefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("execution-already-running")));
    assertThat(count("SELECT COUNT(*) FROM executions WHERE status = 'RUNNING'")).isEqualTo(1);
  }

  @Test
  void theDatabaseItselfRefusesASecondRunningExecution() throws SQLException {
    Run run = newRun();
    start(run.runId(), Stage.phase(1));
    assertThatThrownBy(
            () ->
                executeRaw(
                    "INSERT INTO executions (run_id, stage, stage_order, attempt, status, executor,"
                        + " started_at) VALUES ('"
                        + run.runId()
                        + "', 'phase1', 1, 2, 'RUNNING', 'x', 0)"))
        .isInstanceOf(SQLException.class);
  }

  @Test
  void attemptsCountUpAndListInStageOrderAcrossPages() {
    Run run = newRun();
    for (Stage stage : List.of(Stage.FINAL, Stage.phase(10), Stage.phase(2))) {
      for (int i = 0; i < 3; i++) {
        PhaseExecution e = start(run.runId(), stage);
        store.finishExecution(e.ref(), ExecutionStatus.FAILED, "boom", NOW.plusSeconds(1));
      }
    }
    List<String> listed = new ArrayList<>();
    PageRequest request = PageRequest.first(4);
    Page<PhaseExecution> page;
    do {
      page = store.listExecutions(run.runId(), Optional.empty(), request);
      page.items().forEach(e -> listed.add(e.ref().toString()));
      request = request.next(page.nextCursor());
    } while (page.nextCursor() != null);
    assertThat(listed)
        .containsExactly(
            "phase2@1",
            "phase2@2",
            "phase2@3",
            "phase10@1",
            "phase10@2",
            "phase10@3",
            "final@1",
            "final@2",
            "final@3");

    Page<PhaseExecution> first =
        store.listExecutions(run.runId(), Optional.of(Stage.phase(10)), PageRequest.first(2));
    Page<PhaseExecution> second =
        store.listExecutions(
            run.runId(),
            Optional.of(Stage.phase(10)),
            PageRequest.first(2).next(first.nextCursor()));
    assertThat(first.items()).extracting(PhaseExecution::attempt).containsExactly(1, 2);
    assertThat(second.items()).extracting(PhaseExecution::attempt).containsExactly(3);
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void finishIsACompareAndSet() {
    Run run = newRun();
    PhaseExecution e = start(run.runId(), Stage.phase(1));
    PhaseExecution done =
        store.finishExecution(e.ref(), ExecutionStatus.SUCCEEDED, null, NOW.plusSeconds(5));
    assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.finishedAt()).isEqualTo(NOW.plusSeconds(5));

    assertThatThrownBy(
            () ->
                store.finishExecution(e.ref(), ExecutionStatus.FAILED, "late", NOW.plusSeconds(6)))
        .isInstanceOfSatisfying(
            RefusedException.class, r -> assertThat(r.code()).isEqualTo("execution-not-running"));
    assertThatThrownBy(
            () ->
                store.finishExecution(
                    new ExecutionRef(run.runId(), Stage.phase(1), 9),
                    ExecutionStatus.FAILED,
                    null,
                    NOW))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("phase1@9");
    assertThat(store.findExecution(e.ref())).contains(done);
  }

  @Test
  void startingOnAnUnknownRunIsNotFound() {
    RunId unknown = RunId.of(DAY, 42);
    assertThatThrownBy(() -> store.startExecution(unknown, Stage.phase(1), "x", NOW))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.toString());
  }

  // ---- artifact index

  @Test
  void concurrentIndexingOfOneGenerationHasOneWinner() throws Exception {
    Run run = newRun();
    PhaseExecution e = start(run.runId(), Stage.phase(1));
    LogicalPath path = LogicalPath.of(run.runId(), Stage.phase(1), "docsgen.md");
    AtomicInteger writer = new AtomicInteger();
    List<Object> outcomes =
        concurrently(
            () ->
                store.recordArtifact(
                    preciseDoc(path, 1, "by " + writer.incrementAndGet()), e.ref()));

    assertThat(outcomes).filteredOn(ArtifactRecord.class::isInstance).hasSize(1);
    ArtifactRecord winner =
        (ArtifactRecord)
            outcomes.stream().filter(ArtifactRecord.class::isInstance).findFirst().orElseThrow();
    assertThat(outcomes)
        .filteredOn(o -> !(o instanceof ArtifactRecord))
        .hasSize(15)
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfSatisfying(
                        ImmutableException.class,
                        ex -> {
                          assertThat(ex.layer()).isEqualTo(ImmutableException.Layer.STORE);
                          assertThat(ex.currentHash()).contains(winner.info().hash());
                          assertThat(ex).hasMessageContaining(path.toString());
                        }));
    assertThat(store.findArtifact(path)).contains(winner);
  }

  @Test
  void identicalConcurrentIndexingAllSucceedAndLinksTheOutput() throws Exception {
    Run run = newRun();
    PhaseExecution e = start(run.runId(), Stage.phase(1));
    LogicalPath path = LogicalPath.of(run.runId(), Stage.phase(1), "docsgen.md");
    ArtifactInfo info = preciseDoc(path, 1, "same");
    List<Object> outcomes = concurrently(() -> store.recordArtifact(info, e.ref()));

    assertThat(outcomes)
        .allSatisfy(o -> assertThat(o).isEqualTo(new ArtifactRecord(info, e.ref())));
    assertThat(store.listExecutionOutputs(e.ref(), PageRequest.first()).items())
        .extracting(ArtifactRecord::info)
        .containsExactly(info);
  }

  @Test
  void indexingForAMissingExecutionIsNotFoundAndLeavesNothing() throws SQLException {
    Run run = newRun();
    LogicalPath path = LogicalPath.of(run.runId(), Stage.phase(1), "a.md");
    assertThatThrownBy(
            () ->
                store.recordArtifact(
                    preciseDoc(path, 1, "x"), new ExecutionRef(run.runId(), Stage.phase(1), 1)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(path.toString());
    assertThat(count("SELECT COUNT(*) FROM artifacts")).isZero();
  }

  @Test
  void listingOneStagePagesByPathWithLatestGenerationsOnly() {
    Run run = newRun();
    PhaseExecution p1 = start(run.runId(), Stage.phase(1));
    PhaseExecution p2 = start(run.runId(), Stage.phase(2));
    for (int i = 0; i < 25; i++) {
      LogicalPath path = LogicalPath.of(run.runId(), Stage.phase(1), String.format("f%03d.md", i));
      store.recordArtifact(preciseDoc(path, 1, "v1 " + i), p1.ref());
      if (i % 5 == 0) {
        store.recordArtifact(preciseDoc(path, 2, "v2 " + i), p1.ref());
      }
      store.recordArtifact(
          preciseDoc(LogicalPath.of(run.runId(), Stage.phase(2), "g" + i + ".md"), 1, "o" + i),
          p2.ref());
    }
    ArtifactQuery latestOfStage = ArtifactQuery.latest(run.runId()).inStage(Stage.phase(1));
    List<ArtifactRecord> all = Page.all(page -> store.listArtifacts(latestOfStage, page));
    assertThat(all).hasSize(25);
    assertThat(all).extracting(r -> r.info().path().toString()).isSorted();
    assertThat(all)
        .allSatisfy(
            r ->
                assertThat(r.info().generation())
                    .isEqualTo(r.info().name().matches("f0(0[05]|1[05]|20)\\.md") ? 2 : 1));

    Page<ArtifactRecord> first = store.listArtifacts(latestOfStage, PageRequest.first(10));
    assertThat(first.items()).hasSize(10);
    assertThat(first.nextCursor()).isNotNull();

    ArtifactQuery versions = ArtifactQuery.allVersions(run.runId()).inStage(Stage.phase(1));
    assertThat(Page.all(page -> store.listArtifacts(versions, page))).hasSize(30);
    assertThat(Page.all(page -> store.listArtifacts(ArtifactQuery.latest(run.runId()), page)))
        .hasSize(50);
    assertThat(
            Page.all(
                page ->
                    store.listArtifacts(
                        ArtifactQuery.latest(run.runId()).ofType(ArtifactType.PLAN), page)))
        .isEmpty();
  }

  @Test
  void aStagesPathRangeHoldsNoSiblingStageOrRun() {
    Run run = newRun();
    Run next = newRun();
    for (Stage stage : List.of(Stage.phase(1), Stage.phase(10), Stage.phase(2), Stage.FINAL)) {
      PhaseExecution e = start(run.runId(), stage);
      store.recordArtifact(
          preciseDoc(LogicalPath.of(run.runId(), stage, "-a.md"), 1, "x"), e.ref());
      store.recordArtifact(
          preciseDoc(LogicalPath.of(run.runId(), stage, "zz.md"), 1, "y"), e.ref());
    }
    PhaseExecution other = start(next.runId(), Stage.phase(1));
    store.recordArtifact(
        preciseDoc(LogicalPath.of(next.runId(), Stage.phase(1), "a.md"), 1, "z"), other.ref());

    for (boolean latest : List.of(true, false)) {
      ArtifactQuery runOnly = new ArtifactQuery(run.runId(), null, null, latest);
      assertThat(Page.all(p -> store.listArtifacts(runOnly.inStage(Stage.phase(1)), p)))
          .extracting(r -> r.info().path().toString())
          .containsExactly(run.runId() + "/phase1/-a.md", run.runId() + "/phase1/zz.md");
      assertThat(Page.all(p -> store.listArtifacts(runOnly, p))).hasSize(8);
    }
  }

  @Test
  void aForeignOrMalformedCursorIsRefused() {
    Run run = newRun();
    String runsCursor = "cnVucwoyMDI2LTExLTI4CjE"; // a "runs" cursor
    assertThatThrownBy(
            () ->
                store.listArtifacts(
                    ArtifactQuery.latest(run.runId()), PageRequest.first().next(runsCursor)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    assertThatThrownBy(() -> store.listRuns(PageRequest.first().next("%%%")))
        .isInstanceOf(InvalidInputException.class);
  }

  // ---- issues

  @Test
  void issuesAreBatchedWithIncreasingIdsAndFilteredByIndex() {
    Run run = newRun();
    PhaseExecution e = start(run.runId(), Stage.phase(1));
    LogicalPath a = LogicalPath.of(run.runId(), Stage.phase(1), "a.md");
    LogicalPath b = LogicalPath.of(run.runId(), Stage.phase(1), "b.md");
    List<ValidationIssue> input = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Severity severity = Severity.values()[i % 3];
      input.add(issueOf(e, i % 2 == 0 ? a : b, "rule-" + (i % 4), severity));
    }
    List<ValidationIssue> recorded = store.recordIssues(input);

    assertThat(recorded).extracting(ValidationIssue::id).isSorted().doesNotHaveDuplicates();
    assertThat(recorded.get(7).rule()).isEqualTo("rule-3");
    IssueQuery fileA = IssueQuery.all(run.runId()).withFile(a);
    List<ValidationIssue> ofA = Page.all(page -> store.findIssues(fileA, page));
    assertThat(ofA).hasSize(15).allSatisfy(i -> assertThat(i.file()).isEqualTo(a));
    assertThat(ofA).extracting(ValidationIssue::id).isSorted();

    IssueQuery narrow = fileA.withRule("rule-0").withSeverity(Severity.ERROR);
    assertThat(Page.all(page -> store.findIssues(narrow, page)))
        .extracting(ValidationIssue::id)
        .containsExactlyElementsOf(
            recorded.stream()
                .filter(i -> i.file().equals(a) && i.rule().equals("rule-0"))
                .filter(i -> i.severity() == Severity.ERROR)
                .map(ValidationIssue::id)
                .toList());
    assertThat(store.countIssuesBySeverity(IssueQuery.all(run.runId())))
        .isEqualTo(Map.of(Severity.ERROR, 10L, Severity.WARNING, 10L, Severity.INFO, 10L));
    assertThat(store.countIssuesBySeverity(IssueQuery.all(run.runId()).withRule("nope")))
        .isEqualTo(Map.of(Severity.ERROR, 0L, Severity.WARNING, 0L, Severity.INFO, 0L));
    assertThat(store.findIssue(run.runId(), recorded.get(3).id())).contains(recorded.get(3));
    assertThat(store.findIssue(RunId.of(DAY, 999), recorded.get(3).id())).isEmpty();
  }

  @Test
  void anIssueBatchIsAllOrNothing() throws SQLException {
    Run run = newRun();
    PhaseExecution e = start(run.runId(), Stage.phase(1));
    LogicalPath a = LogicalPath.of(run.runId(), Stage.phase(1), "a.md");
    PhaseExecution ghost =
        PhaseExecution.started(new ExecutionRef(run.runId(), Stage.phase(1), 7), "x", NOW);
    List<ValidationIssue> batch =
        List.of(
            issueOf(e, a, "r1", Severity.ERROR),
            issueOf(e, a, "r2", Severity.ERROR),
            issueOf(ghost, a, "r3", Severity.ERROR));

    assertThatThrownBy(() -> store.recordIssues(batch))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(run.runId().toString());
    assertThat(count("SELECT COUNT(*) FROM issues")).isZero();
  }

  // ---- approvals and bundles

  @Test
  void approvalsAreAppendOnlyInTheDatabase() {
    Run run = newRun();
    ApprovalEvent event =
        new ApprovalEvent(
            run.runId(),
            Stage.phase(1),
            ApprovalDecision.APPROVED,
            "carol",
            "",
            NOW,
            ContentHash.sha256(new byte[0]));
    store.appendApproval(event);
    assertThatThrownBy(() -> executeRaw("UPDATE approvals SET actor = 'mallory'"))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> executeRaw("DELETE FROM approvals")).isInstanceOf(SQLException.class);
    assertThat(store.findLatestApproval(run.runId(), Stage.phase(1))).contains(event);
  }

  @Test
  void latestApprovalIsTheLastAppendedEvenAtTheSameInstant() {
    Run run = newRun();
    List<ApprovalEvent> events = new ArrayList<>();
    for (ApprovalDecision d :
        List.of(ApprovalDecision.APPROVED, ApprovalDecision.REVOKED, ApprovalDecision.REJECTED)) {
      events.add(
          store.appendApproval(
              new ApprovalEvent(
                  run.runId(),
                  Stage.FINAL,
                  d,
                  "carol",
                  "why",
                  NOW,
                  ContentHash.sha256(new byte[1]))));
    }
    assertThat(store.findLatestApproval(run.runId(), Stage.FINAL)).contains(events.get(2));
    assertThat(Page.all(p -> store.listApprovals(run.runId(), Optional.empty(), p)))
        .containsExactlyElementsOf(events);
  }

  @Test
  void aBundleIsRecordedWithTheRunStatusInOneTransaction() throws SQLException {
    Run run = newRun();
    BundleRecord bundle = bundle(run.runId(), "docsgen.md", "README.md");
    assertThat(store.recordBundle(bundle)).isEqualTo(bundle);
    assertThat(store.findBundle(run.runId())).contains(bundle);
    assertThat(store.findRun(run.runId()).orElseThrow().status()).isEqualTo(RunStatus.BUNDLED);
    assertThatThrownBy(() -> store.recordBundle(bundle))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.code()).isEqualTo("already-bundled"));

    Run other = newRun();
    BundleRecord broken = bundle(other.runId(), "same.md", "same.md"); // duplicate entry name
    // the second entry row collides with the first: the transaction's unique-key refusal
    assertThatThrownBy(() -> store.recordBundle(broken))
        .isExactlyInstanceOf(RefusedException.class)
        .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo("conflict"))
        .hasMessageContaining(other.runId().toString());
    assertThat(store.findRun(other.runId()).orElseThrow().status()).isEqualTo(RunStatus.ACTIVE);
    assertThat(store.findBundle(other.runId())).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM bundle_entries WHERE run_id = '" + other.runId() + "'"))
        .isZero();
  }

  static BundleRecord bundle(RunId runId, String first, String second) {
    LogicalPath zip = LogicalPath.of(runId, Stage.FINAL, "docsgen-documentation-bundle.zip");
    LogicalPath doc = LogicalPath.of(runId, Stage.FINAL, "docsgen.md");
    ContentHash h = ContentHash.sha256(new byte[] {1});
    return new BundleRecord(
        runId,
        new ArtifactVersion(zip, 1, h),
        99,
        List.of(
            new BundleEntry(first, h, 10, new ArtifactVersion(doc, 2, h)),
            new BundleEntry(second, h, 5, null)),
        new ExecutionRef(runId, Stage.FINAL, 1),
        "bundler",
        NOW,
        "{\"run\":\"" + runId + "\"}",
        "c2lnbmF0dXJl");
  }

  // ---- single-writer discipline and failures

  @Test
  void manyConcurrentWritersOfEveryKindNeverSeeALockedDatabase() throws Exception {
    List<Object> outcomes =
        concurrently(
            () -> {
              Run run = newRun();
              PhaseExecution e = start(run.runId(), Stage.phase(1));
              LogicalPath path = LogicalPath.of(run.runId(), Stage.phase(1), "a.md");
              store.recordArtifact(preciseDoc(path, 1, "x"), e.ref());
              store.recordIssues(List.of(issueOf(e, path, "r", Severity.WARNING)));
              store.appendApproval(
                  new ApprovalEvent(
                      run.runId(),
                      Stage.phase(1),
                      ApprovalDecision.REJECTED,
                      "c",
                      "",
                      NOW,
                      ContentHash.sha256(new byte[0])));
              return store.finishExecution(e.ref(), ExecutionStatus.SUCCEEDED, null, NOW);
            });
    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(PhaseExecution.class));
    Set<String> runs = new HashSet<>();
    outcomes.forEach(o -> runs.add(((PhaseExecution) o).runId().toString()));
    assertThat(runs).hasSize(16);
  }

  @Test
  void anUnreachableDatabaseIsBackendUnavailable() {
    assertThatThrownBy(() -> JdbcDatabase.open(unreachableSettings()))
        .isInstanceOf(BackendUnavailableException.class);
  }

  @Test
  void aClosedStoreReportsDownAndFailsAsBackendUnavailable() {
    Run run = newRun();
    assertThat(store.health().up()).isTrue();
    ((JdbcManifestStore) store).close();

    assertThat(store.health().up()).isFalse();
    assertThatThrownBy(() -> store.findRun(run.runId()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining(run.runId().toString());
  }

  @Test
  void upgradingFromVersion3BackfillsTheLatestGenerationHeads() throws SQLException {
    JdbcSettings older = newSettings();
    Dialect dialect = Dialect.of(older);
    String url = dialect == Dialect.SQLITE ? JdbcDatabase.sqliteUrl(older.url()) : older.url();
    JdbcDatabase.migrations(older, dialect, url).target("3").load().migrate();
    settings = older;
    executeRaw(
        "INSERT INTO runs (run_id, run_day, run_seq, status, created_by, created_at, core_files,"
            + " bundle_readme) VALUES ('run_2026_11_28_0001', '2026-11-28', 1, 'ACTIVE', 'a', 0,"
            + " 'docsgen.md', "
            + (dialect == Dialect.SQLITE ? "0" : "false")
            + ")");
    executeRaw(
        "INSERT INTO executions (run_id, stage, stage_order, attempt, status, executor,"
            + " started_at) VALUES ('run_2026_11_28_0001', 'phase1', 1, 1, 'RUNNING', 'x', 0)");
    for (int generation = 1; generation <= 3; generation++) {
      executeRaw(
          "INSERT INTO artifacts (path, generation, run_id, stage, name, type, hash, size,"
              + " media_type, created_by, created_at, produced_by_attempt) VALUES"
              + " ('run_2026_11_28_0001/phase1/a.md', "
              + generation
              + ", 'run_2026_11_28_0001', 'phase1', 'a.md', 'DOCUMENTATION', '"
              + String.valueOf(generation).repeat(64)
              + "', 1, 'text/markdown', 'w', 0, 1)");
    }

    try (JdbcManifestStore upgraded = new JdbcManifestStore(JdbcDatabase.open(older))) {
      RunId run = RunId.parse("run_2026_11_28_0001");
      assertThat(upgraded.listArtifacts(ArtifactQuery.latest(run), PageRequest.first()).items())
          .singleElement()
          .satisfies(r -> assertThat(r.info().generation()).isEqualTo(3));
      assertThat(
              count(
                  "SELECT COUNT(*) FROM flyway_schema_history WHERE success = "
                      + (dialect == Dialect.SQLITE ? "0" : "false")))
          .isZero();
    }
  }

  @Test
  void migrationIsIdempotentOnAnExistingDatabase() {
    Run run = newRun();
    try (JdbcManifestStore again = new JdbcManifestStore(JdbcDatabase.open(settings))) {
      assertThat(again.findRun(run.runId())).isPresent();
    }
  }

  // ---- writes decided where they commit: the check is atomic against a concurrent commit

  /**
   * Returns once another session waits for a row lock (PostgreSQL), or after a pause long enough
   * for a blocked statement to be waiting (SQLite, where the one write lock serialises writers).
   */
  protected void awaitAnotherSessionWaitingForALock() throws Exception {
    Thread.sleep(500);
  }

  /**
   * Runs {@code change} in a raw transaction left open, then {@code work} through the adapter in
   * another thread, and commits the change once {@code work} waits for it: a check that read the
   * state before the commit without conflicting with it would let {@code work} succeed.
   */
  private Throwable whileUncommitted(String change, Callable<?> work) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = rawConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.executeUpdate(change);
      }
      Future<?> pending = pool.submit(work);
      awaitAnotherSessionWaitingForALock();
      c.commit();
      try {
        pending.get(30, TimeUnit.SECONDS);
        return null;
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWriteIndexedWhileItsExecutionsFinishCommitsSeesTheFinish() throws Exception {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(1)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(1), "late.md");

    Throwable e =
        whileUncommitted(
            "UPDATE executions SET status = 'SUCCEEDED', finished_at = 1 WHERE run_id = '"
                + run
                + "' AND stage = 'phase1' AND attempt = 1",
            () -> store.recordWrite(preciseDoc(p, 1, "late"), exec));

    assertThat(e)
        .isInstanceOfSatisfying(
            RefusedException.class, r -> assertThat(r.code()).isEqualTo("execution-finished"))
        .hasMessageContaining(p.toString());
    assertThat(count("SELECT COUNT(*) FROM artifacts")).isZero();
    assertThat(count("SELECT COUNT(*) FROM execution_outputs")).isZero();
  }

  @Test
  void aWriteIndexedWhileTheRunsBundleCommitsSeesTheBundle() throws Exception {
    RunId run = newRun().runId();
    ExecutionRef exec = start(run, Stage.phase(2)).ref();
    LogicalPath p = LogicalPath.of(run, Stage.phase(2), "late.md");

    Throwable e =
        whileUncommitted(
            "UPDATE runs SET status = 'BUNDLED' WHERE run_id = '" + run + "'",
            () -> store.recordWrite(preciseDoc(p, 1, "late"), exec));

    assertThat(e)
        .isInstanceOfSatisfying(
            ImmutableException.class,
            i -> assertThat(i.layer()).isEqualTo(ImmutableException.Layer.POLICY))
        .hasMessageContaining("run-bundled")
        .hasMessageContaining(p.toString());
    assertThat(count("SELECT COUNT(*) FROM artifacts")).isZero();
  }

  @Test
  void anApprovalWaitsForAWriteBeingIndexedInItsRun() throws Exception {
    RunId run = newRun().runId();
    start(run, Stage.phase(1));
    ApprovalEvent approval =
        new ApprovalEvent(
            run,
            Stage.phase(1),
            ApprovalDecision.APPROVED,
            "boss",
            "",
            NOW,
            ContentHash.sha256(new byte[0]));
    // the open transaction holds what recordWrite holds while it checks and indexes a write
    String writeLock =
        settings.isSqlite()
            ? "UPDATE runs SET status = status WHERE run_id = '" + run + "'"
            : "SELECT 1 FROM runs WHERE run_id = '" + run + "' FOR SHARE";
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection c = rawConnection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(writeLock);
      }
      Future<ApprovalEvent> pending = pool.submit(() -> store.appendApproval(approval));
      awaitAnotherSessionWaitingForALock();

      assertThat(pending.isDone()).as("the approval waits for the write's transaction").isFalse();
      c.commit();
      assertThat(pending.get(30, TimeUnit.SECONDS)).isEqualTo(approval);
    } finally {
      pool.shutdownNow();
    }
  }
}
