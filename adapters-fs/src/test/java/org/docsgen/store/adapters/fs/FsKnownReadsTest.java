package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.OrphanRemoval;
import org.docsgen.store.ports.out.ReadRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of a generation the store has opened before skip the walk to it and look only at its two
 * files' identities ({@code FsArtifactStore.openKnown}, docs/decisions.md § adapters-fs). Whatever
 * changed on disk since, such a read must answer what a read by a fresh store (which walks) would:
 * the same verified bytes, an integrity failure, or not found — never stale or unverified bytes.
 * Reads here are the server's: generation and expected hash known.
 */
class FsKnownReadsTest {
  @TempDir Path temp;
  private Path root;
  private FsArtifactStore store;
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 7);

  @BeforeEach
  void setUp() {
    root = temp.resolve("artifacts");
    store =
        new FsArtifactStore(
            root, TestContent.tokens(), TestContent.clock(), FsArtifactStore.NO_PACKING);
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  private ArtifactInfo write(LogicalPath p, String text) {
    return store.writeText(p, ArtifactType.DOCUMENTATION, text, "tester");
  }

  private static String read(FsArtifactStore from, ArtifactInfo info) throws Exception {
    return read(from, info, null);
  }

  private static String read(FsArtifactStore from, ArtifactInfo info, ByteRange range)
      throws Exception {
    ReadRequest request =
        ReadRequest.of(info.path(), info.generation()).withHash(info.hash()).withRange(range);
    try (ArtifactContent content = from.open(request)) {
      return new String(content.stream().readAllBytes(), UTF_8);
    }
  }

  private FsArtifactStore freshStore() {
    return new FsArtifactStore(
        root, TestContent.tokens(), TestContent.clock(), FsArtifactStore.NO_PACKING);
  }

  @Test
  void aKnownGenerationReadsBackItsVerifiedBytesWholeAndRanged() throws Exception {
    ArtifactInfo info = write(path("phase1/sub/a.md"), "0123456789");

    assertThat(read(store, info)).isEqualTo("0123456789");
    assertThat(read(store, info)).isEqualTo("0123456789");
    assertThat(read(store, info, ByteRange.of(2, 4))).isEqualTo("234");
    try (ArtifactContent content = store.open(ReadRequest.of(info.path(), 1))) {
      assertThat(content.info()).isEqualTo(info);
    }
  }

  @Test
  void anotherExpectedHashIsStillNotFound() throws Exception {
    ArtifactInfo info = write(path("phase1/a.md"), "real");
    read(store, info);
    ContentHash other = ContentHash.sha256("other".getBytes(UTF_8));

    assertThatThrownBy(
            () -> store.open(ReadRequest.of(info.path(), 1).withHash(other)).stream().close())
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("not the expected " + other);
    assertThat(read(store, info)).isEqualTo("real");
  }

  @Test
  void contentReplacedOrChangedInPlaceAfterAReadIsAnIntegrityFailureNotTheOldBytes()
      throws Exception {
    ArtifactInfo replaced = write(path("phase1/replaced.md"), "trustworthy");
    ArtifactInfo edited = write(path("phase1/edited.md"), "trustworthy");
    read(store, replaced);
    read(store, edited);

    // a new file (another inode) renamed over the content, same size
    RawLayout.replaceContent(root, replaced.path(), "TRUSTWORTHY".getBytes(UTF_8));
    // the same inode rewritten in place, same size
    Files.writeString(RawLayout.content(root, edited.path(), 1), "TRUSTWORTHY");

    for (ArtifactInfo info : List.of(replaced, edited)) {
      assertThatThrownBy(() -> read(store, info))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining(info.path().toString());
      assertThatThrownBy(() -> read(store, info, ByteRange.of(0, 3)))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining(info.path().toString());
    }
  }

  @Test
  void metadataEditedAfterAReadIsMetAsByAFreshStore() throws Exception {
    ArtifactInfo renamedOver = write(path("phase1/renamed-over.md"), "0123456789");
    ArtifactInfo inPlace = write(path("phase1/in-place.md"), "0123456789");
    read(store, renamedOver);
    read(store, inPlace);

    // the recorded size edited (the reliability suite's "size alone edited" tamper)
    RawLayout.editRecordedSize(root, renamedOver.path(), inPlace.path());

    for (ArtifactInfo info : List.of(renamedOver, inPlace)) {
      for (FsArtifactStore reader : List.of(store, freshStore())) {
        assertThatThrownBy(() -> read(reader, info))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("not the recorded 11");
      }
    }
  }

  @Test
  void aRemovedOrphanIsNotFoundByAStoreThatReadItAndByAnother() throws Exception {
    ArtifactInfo mine = write(path("phase1/mine.md"), "orphan one");
    ArtifactInfo theirs = write(path("phase1/theirs.md"), "orphan two");
    FsArtifactStore other = freshStore(); // another process: fsck --repair next to the server
    read(store, mine);
    read(store, theirs);
    Instant later = TestContent.NOW.plusSeconds(1);

    assertThat(store.deleteOrphan(mine, later)).isEqualTo(OrphanRemoval.REMOVED);
    assertThat(other.deleteOrphan(theirs, later)).isEqualTo(OrphanRemoval.REMOVED);

    for (ArtifactInfo info : List.of(mine, theirs)) {
      assertThatThrownBy(() -> read(store, info))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("has no generation 1");
      assertThatThrownBy(() -> read(store, info, ByteRange.of(0, 1)))
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void aGenerationRemovedAndWrittenAgainIsReadAnewNeverAsTheOldOne() throws Exception {
    ArtifactInfo old = write(path("phase1/again.md"), "first bytes");
    read(store, old);
    FsArtifactStore other = freshStore();
    assertThat(other.deleteOrphan(old, TestContent.NOW.plusSeconds(1)))
        .isEqualTo(OrphanRemoval.REMOVED);
    ArtifactInfo now =
        other.writeText(old.path(), ArtifactType.DOCUMENTATION, "other bytes", "tester");
    assertThat(now.generation()).isEqualTo(1);

    assertThat(read(store, now)).isEqualTo("other bytes");
    assertThatThrownBy(() -> read(store, old)).isInstanceOf(NotFoundException.class);
  }

  /**
   * Decided (docs/decisions.md § adapters-fs): a link planted on the way after a read is refused by
   * the next read whenever it leads anywhere but the very files already verified; when it leads
   * back to them (the run moved away and linked back), a store that read them serves exactly those
   * verified bytes, while a walk (a fresh store, stat, a write) refuses the link.
   */
  @Test
  void aLinkPlantedAfterAReadServesOnlyTheSameVerifiedFilesOrIsRefused() throws Exception {
    ArtifactInfo info = write(path("phase1/sub/linked.md"), "verified bytes");
    assertThat(read(store, info)).isEqualTo("verified bytes");
    Path runDir = root.resolve(run.toString());
    Path moved = Files.move(runDir, temp.resolve("moved-run"));
    Files.createSymbolicLink(runDir, moved);

    assertThat(read(store, info)).as("the same inodes, unchanged").isEqualTo("verified bytes");
    List<ThrowingCallable> walks =
        List.of(
            () -> store.stat(info.path(), 1),
            () -> read(freshStore(), info),
            () -> write(path("phase1/sub/next.md"), "x"));
    for (ThrowingCallable walk : walks) {
      assertThatThrownBy(walk)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("symbolic link");
    }

    // behind the link, the content replaced by a copy of itself: same bytes, another file
    Path content =
        moved.resolve(
            root.resolve(run.toString()).relativize(RawLayout.content(root, info.path(), 1)));
    Path copied = Files.copy(content, content.resolveSibling("copied"));
    Files.move(copied, content, StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> read(store, info))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("symbolic link");

    // the link now leads to a copy: well-formed, same bytes and metadata, other files
    Files.delete(runDir);
    Path copy = temp.resolve("copied-run");
    copyTree(moved, copy);
    Files.createSymbolicLink(runDir, copy);
    assertThatThrownBy(() -> read(store, info))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(run.toString())
        .hasMessageContaining("symbolic link");
  }

  @Test
  void aGenerationDirectoryReplacedByALinkToAForgedOneIsRefused() throws Exception {
    LogicalPath p = path("phase1/forged.md");
    ArtifactInfo info = write(p, "real");
    read(store, info);
    Path generation = RawLayout.generationDir(root, p, 1);
    Path forged = temp.resolve("forged@1");
    copyTree(generation, forged);
    Files.writeString(forged.resolve("content"), "REAL");
    deleteTree(generation);
    Files.createSymbolicLink(generation, forged);

    assertThatThrownBy(() -> read(store, info))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("forged.md@1")
        .hasMessageContaining("symbolic link");
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var all = Files.walk(from)) {
      for (Path source : all.toList()) {
        Files.copy(source, to.resolve(from.relativize(source).toString()));
      }
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var all = Files.walk(dir)) {
      for (Path entry : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(entry);
      }
    }
  }
}
