package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionStatus;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.FsckUseCases.Finding;
import org.docsgen.store.ports.in.FsckUseCases.FsckReport;
import org.docsgen.store.ports.in.FsckUseCases.Progress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FsckServiceTest extends ServiceFixture {
  RunId run;
  PhaseExecution exec;
  LogicalPath a;

  @BeforeEach
  void setUp() {
    run = newRun().runId();
    exec = start(run, Stage.phase(1));
    a = path(run, Stage.phase(1), "a.md");
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
  void anUnindexedVersionIsReportedAndRepairAttributesItToTheLatestExecution() {
    finish(exec, ExecutionStatus.FAILED);
    PhaseExecution second = start(run, Stage.phase(1));
    LogicalPath c = path(run, Stage.phase(1), "c.md");
    failedIndexWrite(c, "c");
    int versions = store.versionCount();

    Finding found = fsck(false, false).findings().get(0);
    FsckReport repaired = fsck(false, true);

    assertThat(found.kind()).isEqualTo("unindexed");
    assertThat(found.path()).isEqualTo(c.toString());
    assertThat(found.generation()).isEqualTo(1);
    assertThat(found.repaired()).isFalse();
    assertThat(repaired.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.repaired()).isTrue());
    assertThat(repaired.clean()).isTrue();
    assertThat(manifest.findArtifact(c).orElseThrow().producedBy()).isEqualTo(second.ref());
    assertThat(fsck(true, false).findings()).isEmpty();
    assertThat(store.versionCount()).isEqualTo(versions);
  }

  @Test
  void anIndexedVersionMissingFromTheStoreIsReportedAndNeverRepaired() {
    ArtifactInfo ghost =
        new ArtifactInfo(
            path(run, Stage.phase(1), "ghost.md"),
            ArtifactType.DOCUMENTATION,
            ContentHash.sha256("ghost".getBytes(UTF_8)),
            5,
            "text/markdown",
            "w",
            clock.instant(),
            1);
    manifest.recordArtifact(ghost, exec.ref());

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
}
