package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.FsckUseCases.Finding;
import org.docsgen.store.ports.in.FsckUseCases.FsckReport;
import org.docsgen.store.ports.in.FsckUseCases.Progress;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.WriteRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FsckServiceTest extends RunningPhaseFixture {
  FsckServiceTest() {
    super("a.md");
  }

  @BeforeEach
  void setUp() {
    write(a, "a1");
    write(withToken(doc(a), services.requestOverwriteToken(a, "w").token()), "a2");
    write(path(run, Stage.phase(1), "b.md"), "b");
  }

  private FsckReport fsck(boolean deep, boolean repair) {
    return services.fsck(Optional.of(run), deep, repair, Progress.none());
  }

  private void failedIndexWrite(LogicalPath p, String content) {
    manifest.failNextRecordArtifact(new BackendUnavailableException("manifest", "down", null));
    assertThatThrownBy(() -> write(p, content)).isInstanceOf(BackendUnavailableException.class);
  }

  @Test
  void aConsistentRunIsCleanAndEveryVersionIsCheckedWithProgress() {
    List<String> seen = new ArrayList<>();

    FsckReport report =
        services.fsck(Optional.of(run), true, false, (n, current) -> seen.add(n + " " + current));

    assertThat(report.findings()).isEmpty();
    assertThat(report.clean()).isTrue();
    assertThat(report.checked()).isEqualTo(3);
    assertThat(seen).hasSize(3).first().asString().startsWith("1 " + a + "@1");
  }

  @Test
  void anOrphanIsReportedAsHarmlessAndRepairRemovesItWithoutEverIndexingIt() {
    finish(exec, ExecutionStatus.SUCCEEDED);
    LogicalPath c = path(run, Stage.phase(1), "c.md");
    start(run, Stage.phase(1));
    failedIndexWrite(c, "c");
    int versions = store.versionCount();

    FsckReport found = fsck(false, false);
    clock.advance(Duration.ofMinutes(30));
    FsckReport young = services.fsck(Optional.of(run), false, true, Progress.none());
    int afterYoung = store.versionCount();
    clock.advance(Duration.ofMinutes(31));
    FsckReport repaired = services.fsck(Optional.of(run), false, true, Progress.none());

    assertThat(found.clean()).isTrue();
    assertThat(found.orphans()).isEqualTo(1);
    assertThat(found.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("orphan");
              assertThat(f.path()).isEqualTo(c.toString());
              assertThat(f.generation()).isEqualTo(1);
              assertThat(f.drift()).isFalse();
              assertThat(f.repaired()).isFalse();
            });
    assertThat(young.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("kept: younger than the grace window"));
    assertThat(afterYoung).isEqualTo(versions);
    assertThat(repaired.clean()).isTrue();
    assertThat(repaired.orphansRemoved()).isEqualTo(1);
    assertThat(store.stat(c)).isEmpty();
    assertThat(store.versionCount()).isEqualTo(versions - 1);
    assertThat(manifest.findArtifact(c)).isEmpty();
    assertThat(fsck(true, true).findings()).isEmpty();
  }

  @Test
  void orphanGenerationsOfOnePathAreRemovedNewestFirstAndOneUnderAnIndexedVersionIsKept() {
    LogicalPath c = path(run, Stage.phase(1), "c.md");
    ArtifactInfo c1 = store.writeText(c, ArtifactType.DOCUMENTATION, "c1", "w");
    store.write(
        WriteRequest.create(c, ArtifactType.DOCUMENTATION, "text/markdown", "w")
            .withToken(tokens.mint(c1.version())),
        new ByteArrayInputStream("c2".getBytes(UTF_8)));
    clock.advance(Duration.ofHours(2));

    FsckReport report = services.fsck(Optional.of(run), false, true, Progress.none());

    assertThat(report.orphansRemoved()).isEqualTo(2);
    assertThat(store.stat(c)).isEmpty();

    // a's generations are indexed; an orphan generation 3 above them goes, nothing below it does
    ArtifactInfo a2 = store.stat(a).orElseThrow();
    store.write(
        WriteRequest.create(a, ArtifactType.DOCUMENTATION, "text/markdown", "w")
            .withToken(tokens.mint(a2.version())),
        new ByteArrayInputStream("a3".getBytes(UTF_8)));
    clock.advance(Duration.ofHours(2));
    assertThat(services.fsck(Optional.of(run), false, true, Duration.ZERO, Progress.none()))
        .satisfies(r -> assertThat(r.orphansRemoved()).isEqualTo(1));
    assertThat(store.stat(a)).contains(a2);
  }

  @Test
  void aNegativeGraceIsRefused() {
    assertThatThrownBy(
            () ->
                services.fsck(
                    Optional.of(run), false, true, Duration.ofSeconds(-1), Progress.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grace");
  }

  @Test
  void aPlainCheckFindsBytesShorterThanIndexedWithoutHashing() {
    ArtifactInfo b = store.stat(path(run, Stage.phase(1), "b.md")).orElseThrow();
    ArtifactInfo longer =
        new ArtifactInfo(
            path(run, Stage.phase(1), "long.md"),
            ArtifactType.DOCUMENTATION,
            b.hash(),
            b.size() + 10,
            b.mediaType(),
            "w",
            clock.instant(),
            1);
    store.writeText(longer.path(), ArtifactType.DOCUMENTATION, "b", "w");
    manifest.recordArtifact(longer, exec.ref());

    FsckReport report = fsck(false, false);

    assertThat(report.clean()).isFalse();
    assertThat(report.findings()).extracting(Finding::kind).contains("mismatch");
  }

  @Test
  void anIndexedVersionMissingFromTheStoreIsReportedAndNeverRepaired() {
    ArtifactInfo ghost = indexGhost();

    FsckReport report = fsck(false, true);

    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("missing");
              assertThat(f.repaired()).isFalse();
            });
    assertThat(report.clean()).isFalse();
    assertThat(manifest.findArtifact(ghost.path())).isPresent();
  }

  @Test
  void onlyADeepCheckFindsRottedBytes() {
    store.tamper(a, 1);

    assertThat(fsck(false, false).findings()).isEmpty();
    assertThat(fsck(true, true).findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("corrupt");
              assertThat(f.path()).isEqualTo(a.toString());
              assertThat(f.generation()).isEqualTo(1);
              assertThat(f.repaired()).isFalse();
            });
  }

  @Test
  void withoutARunEveryRunIsChecked() {
    RunId other = newRun().runId();
    start(other, Stage.phase(1));
    LogicalPath x = path(other, Stage.phase(1), "x.md");
    failedIndexWrite(x, "x");

    FsckReport report = services.fsck(Optional.empty(), false, false, null);

    assertThat(report.checked()).isEqualTo(4);
    assertThat(report.findings()).extracting(Finding::path).containsExactly(x.toString());
  }

  @Test
  void anUnknownRunIsNotFound() {
    assertThatThrownBy(
            () ->
                services.fsck(
                    Optional.of(RunId.parse("run_2026_11_28_0042")), false, false, Progress.none()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aVersionTheStoreCannotDescribeIsReportedAndTheCheckGoesOn() {
    store.damageMetadata(a, 1);

    FsckReport report = fsck(true, false);

    assertThat(report.clean()).isFalse();
    assertThat(report.findings())
        .extracting(Finding::kind, Finding::path, Finding::generation)
        .contains(
            org.assertj.core.groups.Tuple.tuple("unreadable", a.toString(), 1),
            org.assertj.core.groups.Tuple.tuple("unreadable", run.toString(), 0));
    assertThat(report.checked()).isEqualTo(3);
  }

  /**
   * S3 on an endpoint whose conditional puts are not atomic (s3proxy): two writers both claimed
   * generation 2, the claim left in place names the loser's candidate, and the manifest indexed the
   * winner, whose candidate the store still serves by hash. Nothing is lost, so this is no drift:
   * found by the race suite (RaceIT), where {@code fsck --deep} exited 4 after concurrent
   * overwrites.
   */
  @Test
  void aLostClaimOverAnIntactIndexedCandidateIsNoDrift() {
    ArtifactInfo indexed = store.stat(a, 2).orElseThrow();
    ArtifactInfo loser =
        new ArtifactInfo(
            indexed.path(),
            indexed.type(),
            ContentHash.sha256("the loser's bytes".getBytes(UTF_8)),
            17,
            indexed.mediaType(),
            indexed.createdBy(),
            indexed.createdAt(),
            indexed.generation());
    ArtifactStore claimedByTheLoser =
        (ArtifactStore)
            java.lang.reflect.Proxy.newProxyInstance(
                ArtifactStore.class.getClassLoader(),
                new Class<?>[] {ArtifactStore.class},
                (proxy, method, args) -> {
                  Object result;
                  try {
                    result = method.invoke(store, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("stat")
                      && args.length == 2
                      && args[0].equals(a)
                      && args[1].equals(2)) {
                    return Optional.of(loser);
                  }
                  if (method.getName().equals("listVersions")) {
                    Page<?> page = (Page<?>) result;
                    List<Object> items = new ArrayList<>();
                    for (Object item : page.items()) {
                      items.add(item.equals(indexed) ? loser : item);
                    }
                    return new Page<>(items, page.nextCursor());
                  }
                  return result;
                });
    DocsGenServices raced =
        new DocsGenServices(claimedByTheLoser, manifest, tokens, signer, json, clock);

    FsckReport report = raced.fsck(Optional.of(run), true, false, Progress.none());

    assertThat(report.findings()).noneMatch(Finding::drift);
    assertThat(report.clean()).isTrue();
    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo("orphan");
              assertThat(f.path()).isEqualTo(a.toString());
              assertThat(f.generation()).isEqualTo(2);
              assertThat(f.detail()).contains("lost the race").contains(indexed.hash().toString());
            });
    // and repair leaves it alone: removing the claim would hide the indexed generation
    FsckReport repaired = raced.fsck(Optional.of(run), true, true, Progress.none());
    assertThat(repaired.orphansRemoved()).isZero();
    assertThat(store.stat(a, 2)).contains(indexed);
  }
}
