package org.docsgen.store.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a process that opens a root finds in its segments when bytes were damaged or an append was
 * cut: each store here opens a copy of the root, so it reads the segments afresh, as a new process
 * would (the packs of a root are shared within one JVM).
 */
class FsPackedRecoveryTest {
  @TempDir Path temp;
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 11);
  private final LogicalPath a = LogicalPath.parse(run + "/phase1/a.md");
  private final LogicalPath b = LogicalPath.parse(run + "/phase1/b.md");
  private final LogicalPath c = LogicalPath.parse(run + "/phase1/c.md");
  private Path root;

  @BeforeEach
  void writeThree() {
    root = temp.resolve("artifacts");
    FsArtifactStore store = new FsArtifactStore(root, TestContent.tokens(), TestContent.clock());
    for (LogicalPath p : List.of(a, b, c)) {
      store.writeText(p, ArtifactType.DOCUMENTATION, "# " + p.name() + "\n", "tester");
    }
    assertThat(RawLayout.packedRecords(root)).hasSize(3);
  }

  @Test
  void aRecordDamagedInTheMiddleIsAnIntegrityFailureAndTheRecordsAfterItStillRead()
      throws IOException {
    RawLayout.flipPacked(root, a, 1);

    FsArtifactStore fresh = reopenCopy("damaged");

    assertThatThrownBy(() -> fresh.readText(a))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("CRC32C");
    assertThat(fresh.readText(b)).isEqualTo("# b.md\n");
    assertThat(fresh.readText(c)).isEqualTo("# c.md\n");
    assertThat(fresh.listVersions(run, PageRequest.first(10)).items())
        .extracting(ArtifactInfo::path)
        .containsExactly(a, b, c);
  }

  @Test
  void anAppendCutShortEndsTheSegmentAndItsPathCanBeWrittenAgain() throws IOException {
    RawLayout.PackedRecord last = RawLayout.packed(root, c, 1).orElseThrow();
    for (long cut : new long[] {1, 13, last.contentOffset() - last.offset() + 1}) {
      Path copy = copyRoot("cut-" + cut);
      Path segment = copy.resolve(root.relativize(last.segment()));
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        channel.truncate(last.offset() + cut);
      }
      FsArtifactStore fresh = new FsArtifactStore(copy, TestContent.tokens(), TestContent.clock());

      assertThat(fresh.stat(c)).as("cut at %d", cut).isEmpty();
      assertThat(fresh.readText(a)).isEqualTo("# a.md\n");
      assertThat(fresh.readText(b)).isEqualTo("# b.md\n");
      ArtifactInfo again = fresh.writeText(c, ArtifactType.DOCUMENTATION, "# c again\n", "tester");
      assertThat(again.generation()).isEqualTo(1);
      assertThat(fresh.readText(c)).isEqualTo("# c again\n");
    }
  }

  @Test
  void theLastRecordFailingItsCrcIsACutAppendNotAVersion() throws IOException {
    RawLayout.flipPacked(root, c, 1);

    FsArtifactStore fresh = reopenCopy("last-damaged");

    assertThat(fresh.stat(c)).isEmpty();
    assertThat(fresh.readText(b)).isEqualTo("# b.md\n");
  }

  @Test
  void aProbeOfARangeReadsAPackedVersionWithoutHashingIt() throws Exception {
    FsArtifactStore fresh = reopenCopy("probe");
    long hashesBefore = fresh.wholeHashCount();

    try (ArtifactContent probe =
        fresh.open(ReadRequest.of(b, 1).withRange(ByteRange.of(0, 0)).asProbe())) {
      assertThat(probe.stream().readAllBytes()).containsExactly('#');
    }

    assertThat(fresh.wholeHashCount())
        .as("plain fsck's probe: present and long enough, not re-hashed")
        .isEqualTo(hashesBefore);
    assertThat(fresh.readText(b)).isEqualTo("# b.md\n");
    assertThat(fresh.wholeHashCount()).as("a read hashes it").isEqualTo(hashesBefore + 1);
  }

  private FsArtifactStore reopenCopy(String name) throws IOException {
    return new FsArtifactStore(copyRoot(name), TestContent.tokens(), TestContent.clock());
  }

  private Path copyRoot(String name) throws IOException {
    Path copy = temp.resolve(name);
    try (Stream<Path> all = Files.walk(root)) {
      for (Path from : all.toList()) {
        Path to = copy.resolve(root.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    return copy;
  }
}
