package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.approval.ApprovalDecision;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.contract.ContractSupport;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.in.ArtifactUseCases.OverwriteTokenGrant;
import org.docsgen.store.ports.in.ArtifactUseCases.TextSlice;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.in.FsckUseCases.FsckReport;
import org.docsgen.store.ports.in.FsckUseCases.Progress;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.docsgen.store.ports.testing.InMemoryArtifactStore;
import org.junit.jupiter.api.Test;

class ArtifactServiceTest extends RunningPhaseFixture {
  ArtifactServiceTest() {
    super("docs/a.md");
  }

  private static void assertImmutable(
      Throwable e, ImmutableException.Layer layer, LogicalPath p, String mentions) {
    assertThat(e)
        .isInstanceOfSatisfying(
            ImmutableException.class, i -> assertThat(i.layer()).isEqualTo(layer))
        .hasMessageContaining(p.toString())
        .hasMessageContaining(mentions);
  }

  // ---- create, read, attribution

  @Test
  void aWriteCreatesGenerationOneAttributedToTheRunningExecution() throws IOException {
    WriteResult result = write(a, "# A\n");

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    assertThat(result.info().generation()).isEqualTo(1);
    assertThat(manifest.findArtifact(a).orElseThrow().producedBy()).isEqualTo(exec.ref());
    assertThat(services.stat(a, 0)).isEqualTo(result.info());
    assertThat(services.get(exec.ref()).artifacts()).containsExactly(result.info());
    try (ArtifactContent content = services.read(a, 0, null)) {
      assertThat(new String(content.stream().readAllBytes(), UTF_8)).isEqualTo("# A\n");
    }
    try (ArtifactContent content = services.read(a, 1, ByteRange.of(2, 2))) {
      assertThat(content.stream().readAllBytes()).isEqualTo("A".getBytes(UTF_8));
    }
  }

  @Test
  void aWriteWithNoRunningExecutionIsRefusedAndStoresNothing() {
    finish(exec, ExecutionStatus.SUCCEEDED);

    assertThatThrownBy(() -> write(a, "late"))
        .isInstanceOfSatisfying(
            RefusedException.class, e -> assertThat(e.code()).isEqualTo("no-running-execution"))
        .hasMessageContaining(a.toString());
    assertThat(store.isEmpty()).isTrue();
  }

  /**
   * Every check before the body reads the manifest once ({@link
   * org.docsgen.store.ports.out.ManifestStore#findWriteContext}: one read transaction on the JDBC
   * manifest) instead of four look-ups; the commit asks again in {@code recordWrite}.
   */
  @Test
  void aWriteReadsTheManifestOnceBeforeItsBodyAndAnOverwriteTokenOnce() throws IOException {
    List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    ManifestStore counting =
        (ManifestStore)
            java.lang.reflect.Proxy.newProxyInstance(
                ManifestStore.class.getClassLoader(),
                new Class<?>[] {ManifestStore.class},
                (proxy, method, args) -> {
                  calls.add(method.getName());
                  try {
                    return method.invoke(manifest, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    DocsGenServices counted = new DocsGenServices(store, counting, tokens, signer, json, clock);
    List<String> beforeBody = new ArrayList<>();
    InputStream body =
        new java.io.FilterInputStream(new ByteArrayInputStream("# A\n".getBytes(UTF_8))) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (beforeBody.isEmpty()) {
              beforeBody.addAll(calls);
              beforeBody.add("<body>");
            }
            return super.read(b, off, len);
          }
        };

    counted.write(doc(a), body);

    assertThat(beforeBody).containsExactly("findWriteContext", "<body>");
    assertThat(calls).containsExactly("findWriteContext", "recordWrite");

    calls.clear();
    counted.requestOverwriteToken(a, "alice");
    assertThat(calls).containsExactly("findWriteContext");
  }

  @Test
  void aWriteToAnUnknownRunIsNotFound() {
    LogicalPath elsewhere = path(RunId.parse("run_2026_11_28_0099"), Stage.phase(1), "a.md");

    assertThatThrownBy(() -> write(elsewhere, "x"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("run_2026_11_28_0099");
  }

  @Test
  void bundlePathsAndBundleTypedWritesAreReserved() {
    LogicalPath finalZip = path(run, Stage.FINAL, "docsgen-documentation-bundle.zip");
    start(run, Stage.FINAL);
    WriteCommand typedBundle =
        new WriteCommand(a, ArtifactType.BUNDLE, "application/zip", "w", false, null, 0);

    for (WriteCommand command : new WriteCommand[] {doc(finalZip), typedBundle}) {
      assertThatThrownBy(() -> write(command, "fake"))
          .isInstanceOfSatisfying(
              RefusedException.class, e -> assertThat(e.code()).isEqualTo("reserved-path"));
    }
    assertThat(store.isEmpty()).isTrue();
  }

  @Test
  void contentOverTheLimitIsTooLargeAndStoresNothing() {
    WriteCommand limited =
        new WriteCommand(a, ArtifactType.DOCUMENTATION, "text/markdown", "w", false, null, 10);

    assertThatThrownBy(() -> write(limited, "more than ten bytes"))
        .isInstanceOfSatisfying(
            PayloadTooLargeException.class, e -> assertThat(e.limit()).isEqualTo(10));
    assertThat(store.isEmpty()).isTrue();
    assertThat(write(limited, "ten bytes!").outcome()).isEqualTo(WriteResult.Outcome.CREATED);
  }

  // ---- idempotence and the two layers

  @Test
  void anIdenticalRewriteIsUnchangedAndLinksTheNewExecution() {
    ArtifactInfo first = write(a, "same").info();
    finish(exec, ExecutionStatus.FAILED);
    PhaseExecution second = start(run, Stage.phase(1));

    WriteResult again = write(a, "same");

    assertThat(again.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(again.info()).isEqualTo(first);
    assertThat(services.get(second.ref()).artifacts()).containsExactly(first);
    assertThat(manifest.findArtifact(a).orElseThrow().producedBy()).isEqualTo(exec.ref());
    assertThat(store.versionCount()).isEqualTo(1);
  }

  @Test
  void anIdenticalRetryNeedsNoRunningExecutionAndNoToken() {
    ArtifactInfo first = write(a, "same").info();
    finish(exec, ExecutionStatus.SUCCEEDED);

    WriteResult retry = write(a, "same");

    assertThat(retry.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(retry.info()).isEqualTo(first);
  }

  @Test
  void anOverwriteWithoutATokenIsRefusedByTheStoreLayer() {
    ArtifactInfo first = write(a, "one").info();

    Throwable e = catchThrowable(() -> write(a, "two"));

    assertImmutable(e, ImmutableException.Layer.STORE, a, first.hash().toString());
    assertThat(services.stat(a, 0)).isEqualTo(first);
  }

  @Test
  void aPolicyTokenPermitsGenerationTwoAndGenerationOneStaysReadable() throws IOException {
    ArtifactInfo first = write(a, "one").info();

    OverwriteTokenGrant grant = services.requestOverwriteToken(a, "writer");
    WriteResult second = write(withToken(doc(a), grant.token()), "two");

    assertThat(grant.expected()).isEqualTo(first.version());
    assertThat(grant.expiresAt()).isAfter(clock.instant());
    assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
    assertThat(second.info().generation()).isEqualTo(2);
    assertThat(manifest.findArtifact(a, 2).orElseThrow().producedBy()).isEqualTo(exec.ref());
    assertThat(services.stat(a, 0)).isEqualTo(second.info());
    try (ArtifactContent one = services.read(a, 1, null)) {
      assertThat(one.stream().readAllBytes()).isEqualTo("one".getBytes(UTF_8));
    }
    assertThatThrownBy(() -> write(withToken(doc(a), grant.token()), "three"))
        .isInstanceOf(ImmutableException.class);
  }

  @Test
  void aTokenIsRefusedByThePolicyOnceTheStageIsApproved() {
    write(a, "one");
    finish(exec, ExecutionStatus.SUCCEEDED);
    services.decide(run, Stage.phase(1), ApprovalDecision.APPROVED, "ok", "boss");
    start(run, Stage.phase(1));

    Throwable token = catchThrowable(() -> services.requestOverwriteToken(a, "writer"));
    Throwable create = catchThrowable(() -> write(path(run, Stage.phase(1), "new.md"), "x"));

    assertImmutable(token, ImmutableException.Layer.POLICY, a, "stage-approved");
    assertImmutable(
        create,
        ImmutableException.Layer.POLICY,
        path(run, Stage.phase(1), "new.md"),
        "stage-approved");
  }

  @Test
  void thePolicyIsCheckedAgainWhenATokenIsPresented() {
    ArtifactInfo first = write(a, "one").info();
    String token = services.requestOverwriteToken(a, "writer").token();
    finish(exec, ExecutionStatus.SUCCEEDED);

    Throwable e = catchThrowable(() -> write(withToken(doc(a), token), "two"));

    assertImmutable(e, ImmutableException.Layer.POLICY, a, "no-running-execution");
    assertThat(store.stat(a)).contains(first);
    // the same bytes with the token are still an idempotent success
    assertThat(write(withToken(doc(a), token), "one").outcome())
        .isEqualTo(WriteResult.Outcome.UNCHANGED);
  }

  @Test
  void anOverwriteAfterApprovalWithAnEarlierTokenIsRefusedByThePolicy() {
    write(a, "one");
    String token = services.requestOverwriteToken(a, "writer").token();
    finish(exec, ExecutionStatus.SUCCEEDED);
    services.decide(run, Stage.phase(1), ApprovalDecision.APPROVED, "", "boss");
    start(run, Stage.phase(1));

    Throwable e = catchThrowable(() -> write(withToken(doc(a), token), "two"));

    assertImmutable(e, ImmutableException.Layer.POLICY, a, "stage-approved");
  }

  @Test
  void aCreateOnlyWriteToAnExistingPathIsAlreadyExists() {
    ArtifactInfo first = write(a, "one").info();

    assertThatThrownBy(() -> write(createOnly(doc(a)), "one"))
        .isInstanceOfSatisfying(
            AlreadyExistsException.class, e -> assertThat(e.currentHash()).isEqualTo(first.hash()));
  }

  @Test
  void aTokenForAPathThatDoesNotExistIsNotFound() {
    assertThatThrownBy(() -> services.requestOverwriteToken(a, "writer"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(a.toString());
  }

  // ---- the write order and cross-server races

  @Test
  void whenTheIndexWriteFailsTheStoreHasAnUnindexedVersionThatFsckReports() {
    manifest.failNextRecordArtifact(
        new BackendUnavailableException("manifest", "connection reset", null));

    assertThatThrownBy(() -> write(a, "content")).isInstanceOf(BackendUnavailableException.class);

    assertThat(store.stat(a)).isPresent();
    assertThat(manifest.findArtifact(a)).isEmpty();
    assertThatThrownBy(() -> services.stat(a, 0)).isInstanceOf(NotFoundException.class);
    FsckReport report = services.fsck(Optional.of(run), false, false, Progress.none());
    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("orphan");
              assertThat(f.drift()).isFalse();
              assertThat(f.path()).isEqualTo(a.toString());
              assertThat(f.repaired()).isFalse();
            });
    // a retry of the same write heals the index
    assertThat(write(a, "content").outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(manifest.findArtifact(a).orElseThrow().producedBy()).isEqualTo(exec.ref());
    assertThat(services.fsck(Optional.of(run), true, false, Progress.none()).findings()).isEmpty();
  }

  @Test
  void theManifestNeverIndexesAVersionTheStoreRefused() {
    write(a, "one");

    catchThrowable(() -> write(a, "two"));

    assertThat(manifest.findArtifact(a, 2)).isEmpty();
    assertThat(services.fsck(Optional.of(run), true, false, Progress.none()).findings()).isEmpty();
  }

  @Test
  void theLoserOfACrossServerRaceForOneGenerationIsRefusedByTheStoreLayer() {
    // a second server whose store did not see the first server's write (e.g. a non-atomic
    // S3-compatible endpoint): the manifest's unique (path, generation) key decides
    InMemoryArtifactStore otherStore = new InMemoryArtifactStore(tokens, clock);
    DocsGenServices otherServer =
        new DocsGenServices(otherStore, manifest, tokens, signer, json, clock);
    ArtifactInfo winner = write(a, "winner").info();

    Throwable e =
        catchThrowable(
            () -> otherServer.write(doc(a), new ByteArrayInputStream("loser".getBytes(UTF_8))));
    Throwable createOnly =
        catchThrowable(
            () ->
                otherServer.write(
                    createOnly(doc(path(run, Stage.phase(1), "b.md"))),
                    new ByteArrayInputStream("b".getBytes(UTF_8))));

    assertImmutable(e, ImmutableException.Layer.STORE, a, winner.hash().toString());
    assertThat(createOnly).isNull();
    assertThat(services.stat(a, 1)).isEqualTo(winner);
    write(createOnly(doc(path(run, Stage.phase(1), "c.md"))), "c-winner");
    assertThatThrownBy(
            () ->
                otherServer.write(
                    createOnly(doc(path(run, Stage.phase(1), "c.md"))),
                    new ByteArrayInputStream("c-loser".getBytes(UTF_8))))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining("c.md");
  }

  @Test
  void concurrentWritesOfOneNewPathLeaveOneIndexedWinner() throws Exception {
    List<ContractSupport.Outcome<WriteResult>> outcomes =
        ContractSupport.race(
            16,
            i ->
                () ->
                    services.write(
                        doc(a), new ByteArrayInputStream(("writer " + i).getBytes(UTF_8))));

    List<ContractSupport.Outcome<WriteResult>> winners =
        outcomes.stream().filter(ContractSupport.Outcome::succeeded).toList();
    assertThat(winners).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> !o.succeeded())
        .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(ImmutableException.class));
    assertThat(services.stat(a, 0)).isEqualTo(winners.get(0).result().info());
    assertThat(manifest.findArtifact(a, 2)).isEmpty();
  }

  @Test
  void concurrentIdenticalWritesAllSucceed() throws Exception {
    List<ContractSupport.Outcome<WriteResult>> outcomes =
        ContractSupport.race(
            16,
            i -> () -> services.write(doc(a), new ByteArrayInputStream("same".getBytes(UTF_8))));

    assertThat(outcomes).allMatch(ContractSupport.Outcome::succeeded);
    assertThat(outcomes)
        .filteredOn(o -> o.result().outcome() == WriteResult.Outcome.CREATED)
        .hasSize(1);
    assertThat(store.versionCount()).isEqualTo(1);
  }

  @Test
  void readingAnIndexedVersionTheStoreLacksIsAnIntegrityError() {
    ArtifactInfo ghost = indexGhost();

    assertThatThrownBy(() -> services.read(ghost.path(), 0, null))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(ghost.path().toString());
    assertThatThrownBy(() -> services.open(ghost, null))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(ghost.path().toString());
  }

  @Test
  void openingTheVersionStatReturnedReadsItsBytesWholeOrARange() throws Exception {
    write(a, "first\n");
    write(withToken(doc(a), services.requestOverwriteToken(a, "w").token()), "second\n");
    ArtifactInfo first = services.stat(a, 1);

    try (ArtifactContent whole = services.open(first, null)) {
      assertThat(new String(whole.stream().readAllBytes(), UTF_8)).isEqualTo("first\n");
    }
    try (ArtifactContent part = services.open(services.stat(a, 0), ByteRange.of(1, 3))) {
      assertThat(new String(part.stream().readAllBytes(), UTF_8)).isEqualTo("eco");
    }
  }

  @Test
  void anIndexThatStatesAnotherSizeThanTheStoreIsAnIntegrityError() {
    // the manifest's size column edited (reliability suite, tamper kind): the bytes still match
    // the indexed hash, and were served as good
    write(a, "validated content");
    ArtifactInfo stored = services.stat(a, 1);
    ArtifactInfo edited =
        new ArtifactInfo(
            stored.path(),
            stored.type(),
            stored.hash(),
            stored.size() + 17,
            stored.mediaType(),
            stored.createdBy(),
            stored.createdAt(),
            stored.generation());

    assertThatThrownBy(() -> services.open(edited, null))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(a.toString())
        .hasMessageContaining("indexed with " + (stored.size() + 17) + " bytes");
  }

  @Test
  void tamperedContentIsAnIntegrityErrorOnRead() {
    write(a, "validated content");
    store.tamper(a, 1);

    assertThatThrownBy(
            () -> {
              try (ArtifactContent c = services.read(a, 0, null)) {
                c.stream().readAllBytes();
              }
            })
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(a.toString());
  }

  // ---- lines

  @Test
  void readLinesIsOneBasedInclusiveAndClippedAtTheEnd() {
    write(a, "één\ntwo\r\nthree\n");

    TextSlice slice = services.readLines(a, 0, 1, 2);
    TextSlice clipped = services.readLines(a, 1, 2, 99);

    assertThat(slice.text()).isEqualTo("één\ntwo\n");
    assertThat(slice.firstLine()).isEqualTo(1);
    assertThat(slice.lastLine()).isEqualTo(2);
    assertThat(clipped.text()).isEqualTo("two\nthree\n");
    assertThat(clipped.lastLine()).isEqualTo(3);
    assertThat(services.readLines(a, 0, 3, 3).text()).isEqualTo("three\n");
  }

  @Test
  void readLinesPastTheEndIsNotSatisfiable() {
    write(a, "one\ntwo\n");

    assertThatThrownBy(() -> services.readLines(a, 0, 3, 4))
        .isInstanceOfSatisfying(
            RangeNotSatisfiableException.class, e -> assertThat(e.size()).isEqualTo(2));
    assertThatThrownBy(() -> services.readLines(a, 0, 0, 4))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> services.readLines(a, 0, 3, 2))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void readLinesLargerThanThePreviewLimitAreTooLargeNamingIt() {
    DocsGenServices limited =
        new DocsGenServices(store, manifest, tokens, signer, json, clock, new ServiceLimits(8, 0));
    write(a, "one\ntwo\nthree\n");

    assertThat(limited.readLines(a, 0, 1, 2).text()).isEqualTo("one\ntwo\n");
    assertThatThrownBy(() -> limited.readLines(a, 0, 1, 3))
        .isInstanceOfSatisfying(
            PayloadTooLargeException.class,
            e -> {
              assertThat(e.limit()).isEqualTo(8);
              assertThat(e.field()).isEqualTo("lines");
            })
        .hasMessageContaining("server.maxPreviewBytes (8 bytes)")
        .hasMessageContaining(a.toString());
  }

  @Test
  void readLinesOfBinaryContentIsInvalidInput() {
    LogicalPath png = path(run, Stage.phase(1), "img.png");
    services.write(
        new WriteCommand(png, ArtifactType.OTHER, "image/png", "w", false, null, 0),
        new ByteArrayInputStream(new byte[] {1, 2, 3}));

    assertThatThrownBy(() -> services.readLines(png, 0, 1, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(png.toString());
  }

  // ---- listing

  @Test
  void listShowsLatestIndexedVersionsFilteredAndPaged() {
    ArtifactInfo a1 = write(a, "a1").info();
    ArtifactInfo a2 =
        write(withToken(doc(a), services.requestOverwriteToken(a, "w").token()), "a2").info();
    LogicalPath report = path(run, Stage.phase(1), "report.json");
    ArtifactInfo r =
        services
            .write(
                new WriteCommand(
                    report,
                    ArtifactType.VALIDATION_REPORT,
                    "application/json",
                    "w",
                    false,
                    null,
                    0),
                new ByteArrayInputStream("{}".getBytes(UTF_8)))
            .info();
    start(run, Stage.FINAL);
    ArtifactInfo f = write(path(run, Stage.FINAL, "z.md"), "z").info();

    Page<ArtifactInfo> all =
        services.listArtifacts(run, Optional.empty(), Optional.empty(), PageRequest.first());
    Page<ArtifactInfo> first =
        services.listArtifacts(run, Optional.empty(), Optional.empty(), PageRequest.first(2));

    // sorted by path: run_…/final/… before run_…/phase1/…
    assertThat(all.items()).containsExactly(f, a2, r).doesNotContain(a1);
    assertThat(first.items()).containsExactly(f, a2);
    assertThat(
            services
                .listArtifacts(
                    run,
                    Optional.empty(),
                    Optional.empty(),
                    PageRequest.first(2).next(first.nextCursor()))
                .items())
        .containsExactly(r);
    assertThat(
            services
                .listArtifacts(
                    run,
                    Optional.of(Stage.phase(1)),
                    Optional.of(ArtifactType.VALIDATION_REPORT),
                    PageRequest.first())
                .items())
        .containsExactly(r);
  }

  @Test
  void createdAtComesFromTheClock() {
    clock.advance(Duration.ofHours(2));

    ArtifactInfo info = write(a, "x").info();

    assertThat(info.createdAt()).isEqualTo(clock.instant());
  }

  // ---- decided where it commits

  /** Content that runs {@code meanwhile} when the store first reads it (a body mid-stream). */
  private static InputStream streaming(String text, Runnable meanwhile) {
    byte[] bytes = text.getBytes(UTF_8);
    return new java.io.FilterInputStream(new ByteArrayInputStream(bytes)) {
      private boolean started;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (!started) {
          started = true;
          meanwhile.run();
        }
        return super.read(b, off, len);
      }
    };
  }

  @Test
  void aBodyStillArrivingWhenItsExecutionFinishesIsRefusedAndNeverIndexed() {
    LogicalPath late = path(run, Stage.phase(1), "late.md");

    Throwable e =
        catchThrowable(
            () ->
                services.write(
                    doc(late), streaming("late", () -> finish(exec, ExecutionStatus.SUCCEEDED))));

    assertThat(e)
        .isInstanceOfSatisfying(
            RefusedException.class, r -> assertThat(r.code()).isEqualTo("execution-finished"))
        .hasMessageContaining(late.toString());
    assertThat(manifest.findArtifact(late)).isEmpty();
    assertThat(store.stat(late)).isPresent(); // the orphan fsck reports
    // a retry of the same bytes with nothing running does not index them either
    assertThatThrownBy(() -> write(late, "late"))
        .isInstanceOfSatisfying(
            RefusedException.class, r -> assertThat(r.code()).isEqualTo("no-running-execution"));
    assertThat(manifest.findArtifact(late)).isEmpty();
  }

  @Test
  void aTokenValidWhenTheWriteArrivedSurvivesItsExpiryMidBody() {
    write(a, "one");
    String token = services.requestOverwriteToken(a, "writer").token();

    WriteResult second =
        services.write(
            withToken(doc(a), token),
            streaming("two", () -> clock.advance(java.time.Duration.ofMinutes(6))));

    assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
    assertThat(services.stat(a, 0).generation()).isEqualTo(2);
  }

  @Test
  void anUnusableTokenIsRefusedBeforeTheBodyIsRead() {
    write(a, "one");
    String token = services.requestOverwriteToken(a, "writer").token();
    clock.advance(java.time.Duration.ofMinutes(6));
    InputStream neverRead =
        streaming("two", () -> org.junit.jupiter.api.Assertions.fail("the body was read"));

    Throwable expired = catchThrowable(() -> services.write(withToken(doc(a), token), neverRead));
    Throwable createOnly = catchThrowable(() -> services.write(createOnly(doc(a)), neverRead));

    assertImmutable(expired, ImmutableException.Layer.STORE, a, "expired");
    assertThat(createOnly).isInstanceOf(AlreadyExistsException.class);
  }
}
