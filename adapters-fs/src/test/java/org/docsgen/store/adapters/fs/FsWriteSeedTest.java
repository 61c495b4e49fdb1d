package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.PhaseExecution;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.in.ArtifactUseCases.TextSlice;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.docsgen.store.ports.service.DocsGenServices;
import org.docsgen.store.ports.testing.InMemoryManifestStore;
import org.docsgen.store.ports.testing.TestJsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version the store has just written is remembered as if a read had verified it ({@code
 * FsArtifactStore#seed}, docs/decisions.md § adapters-fs): its first read is a known read (no walk,
 * no SHA-256 of the content), and it must still answer exactly what a fresh store (which walks and
 * hashes) would — the same bytes, or an integrity failure when anything changed on disk since the
 * write. Reads here are the server's: generation and expected hash known.
 */
class FsWriteSeedTest {
  /** Three full 64 KiB blocks and a short fourth one. */
  private static final int SIZE = 3 * VerifiedReads.BLOCK_BYTES + 1000;

  @TempDir Path temp;
  private Path root;
  private final OverwriteTokens tokens = TestContent.tokens();
  private FsArtifactStore store;
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 9);

  @BeforeEach
  void setUp() {
    root = temp.resolve("artifacts");
    store = new FsArtifactStore(root, tokens, TestContent.clock(), FsArtifactStore.NO_PACKING);
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  private ArtifactInfo write(LogicalPath p, byte[] bytes) {
    WriteRequest request =
        WriteRequest.create(p, ArtifactType.OTHER, "application/octet-stream", "tester");
    return store.write(request, new ByteArrayInputStream(bytes)).info();
  }

  private WriteResult overwrite(ArtifactInfo current, byte[] bytes) {
    WriteRequest request =
        WriteRequest.create(current.path(), ArtifactType.OTHER, current.mediaType(), "tester")
            .withToken(tokens.mint(current.version()));
    return store.write(request, new ByteArrayInputStream(bytes));
  }

  private static byte[] read(FsArtifactStore from, ArtifactInfo info, ByteRange range)
      throws Exception {
    ReadRequest request =
        ReadRequest.of(info.path(), info.generation()).withHash(info.hash()).withRange(range);
    try (ArtifactContent content = from.open(request)) {
      return content.stream().readAllBytes();
    }
  }

  private static byte[] read(FsArtifactStore from, ArtifactInfo info) throws Exception {
    return read(from, info, null);
  }

  private FsArtifactStore freshStore() {
    return new FsArtifactStore(root, tokens, TestContent.clock(), FsArtifactStore.NO_PACKING);
  }

  private static byte[] bytes(String seed) {
    return TestContent.bytes(seed, SIZE);
  }

  // ---- the first read of a version written here is a known read

  @Test
  void versionsJustWrittenAreReadBackWithoutHashingThemAgain() throws Exception {
    List<ArtifactInfo> written = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    // like the bundle reading what the same server has just written: sizes 0, 1, a block, more
    for (int size : new int[] {0, 1, VerifiedReads.BLOCK_BYTES, SIZE}) {
      byte[] bytes = TestContent.bytes("v" + size, size);
      contents.add(bytes);
      written.add(write(path("phase1/sub/v" + size + ".bin"), bytes));
    }

    for (int i = 0; i < written.size(); i++) {
      assertThat(read(store, written.get(i))).isEqualTo(contents.get(i));
      assertThat(store.stat(written.get(i).path(), written.get(i).generation()))
          .contains(written.get(i));
    }
    assertThat(store.wholeHashCount()).as("SHA-256 passes over content by reads").isZero();

    // the counter does count: a store that did not write them hashes each once
    FsArtifactStore other = freshStore();
    for (int i = 0; i < written.size(); i++) {
      assertThat(read(other, written.get(i))).isEqualTo(contents.get(i));
      assertThat(read(other, written.get(i))).isEqualTo(contents.get(i));
    }
    assertThat(other.wholeHashCount()).isEqualTo(written.size());
  }

  /**
   * The first read does not walk either: with the run directory moved away and linked back, the
   * walk refuses the link (a fresh store), while the writer's known read finds the very files it
   * wrote and serves them (FsKnownReadsTest's decided case, here before any read).
   */
  @Test
  void theFirstReadOfAVersionJustWrittenDoesNotWalkToIt() throws Exception {
    byte[] bytes = bytes("walk");
    ArtifactInfo info = write(path("phase1/sub/walk.bin"), bytes);
    Path runDir = root.resolve(run.toString());
    Files.createSymbolicLink(runDir, Files.move(runDir, temp.resolve("moved-run")));

    assertThat(read(store, info)).isEqualTo(bytes);
    assertThatThrownBy(() -> read(freshStore(), info))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("symbolic link");
    assertThat(store.wholeHashCount()).isZero();
  }

  /**
   * The assumption the seed rests on: the identities taken in the staging directory, after both
   * files are written and synced, are those of the published files — the publishing rename moves
   * the directory and does not touch its files' change times. Checked on the file system the tests
   * run on, with a pause past any coarse timestamp tick before the rename.
   */
  @Test
  void publishingLeavesTheIdentitiesTakenInStagingUnchanged() throws Exception {
    Path parent = Files.createDirectories(temp.resolve("plain"));
    Path target = parent.resolve("x.bin@1");
    Staging.Identities taken;
    try (Staging staging = Staging.open(parent)) {
      staging.content().write(ByteBuffer.wrap(bytes("identity")));
      staging.writeMetadata("format=test\n".getBytes(UTF_8));
      staging.makeDurable();
      taken = staging.identities();
      Thread.sleep(25);
      assertThat(staging.publish(target)).isTrue();
    }

    assertThat(taken).isNotNull();
    assertThat(taken.content().size()).isEqualTo(SIZE);
    assertThat(FsLayout.fileAttributes(target.resolve(FsLayout.CONTENT)).orElseThrow().identity())
        .isEqualTo(taken.content());
    assertThat(FsLayout.fileAttributes(target.resolve(FsLayout.META)).orElseThrow().identity())
        .isEqualTo(taken.metadata());
  }

  // ---- changed on disk after the write, before the first read

  @Test
  void contentReplacedOrChangedInPlaceAfterTheWriteIsAnIntegrityFailure() throws Exception {
    byte[] bytes = bytes("trustworthy");
    ArtifactInfo replaced = write(path("phase1/replaced.bin"), bytes);
    ArtifactInfo edited = write(path("phase1/edited.bin"), bytes);
    byte[] forgedBytes = bytes.clone();
    forgedBytes[VerifiedReads.BLOCK_BYTES + 5] ^= 1; // the second block

    // a new file (another inode) renamed over the content, same size
    RawLayout.replaceContent(root, replaced.path(), forgedBytes);
    // the same inode rewritten in place, same size, one byte
    try (FileChannel channel =
        FileChannel.open(RawLayout.content(root, edited.path(), 1), StandardOpenOption.WRITE)) {
      channel.write(
          ByteBuffer.wrap(forgedBytes, VerifiedReads.BLOCK_BYTES + 5, 1),
          VerifiedReads.BLOCK_BYTES + 5);
    }

    for (ArtifactInfo info : List.of(replaced, edited)) {
      for (FsArtifactStore reader : List.of(store, freshStore())) {
        assertThatThrownBy(() -> read(reader, info))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining(info.path().toString());
        assertThatThrownBy(() -> read(reader, info, ByteRange.of(0, 3)))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining(info.path().toString());
      }
    }
  }

  @Test
  void metadataEditedAfterTheWriteIsMetAsByAFreshStore() throws Exception {
    byte[] bytes = TestContent.bytes("meta", 10);
    ArtifactInfo renamedOver = write(path("phase1/renamed-over.bin"), bytes);
    ArtifactInfo inPlace = write(path("phase1/in-place.bin"), bytes);

    // the recorded size edited (the reliability suite's "size alone edited" tamper)
    RawLayout.editRecordedSize(root, renamedOver.path(), inPlace.path());

    for (ArtifactInfo info : List.of(renamedOver, inPlace)) {
      for (FsArtifactStore reader : List.of(store, freshStore())) {
        assertThatThrownBy(() -> read(reader, info))
            .isInstanceOf(IntegrityException.class)
            .hasMessageContaining("not the recorded 11");
      }
      // the metadata seeded at the write is not served either: stat reads the edited file
      assertThat(store.stat(info.path(), 1).orElseThrow().size()).isEqualTo(11);
      assertThat(store.stat(info.path(), 1)).isEqualTo(freshStore().stat(info.path(), 1));
    }
  }

  /*
   * Not here: bytes changed in place while the content keeps the identity seeded at the write
   * (device, inode, size, change time). A user cannot do that — every write moves the change time,
   * which no user can set back; on this kernel (multigrain timestamps) not even within one clock
   * tick, since the seeding lstat asks for the change time. That case is the block CRC32C's alone,
   * and VerifiedReadsTest.aRememberedObjectChangedUnderItsIdentityFailsItsBlockCheck checks it
   * with the identity passed in: CRCs taken by BlockCrcs from the bytes written, bytes changed.
   */

  // ---- ranges, line previews, generations

  @Test
  void rangesOfAVersionJustWrittenAreItsBytes() throws Exception {
    byte[] bytes = bytes("ranges");
    ArtifactInfo info = write(path("phase1/ranges.bin"), bytes);
    int block = VerifiedReads.BLOCK_BYTES;
    long[][] ranges = {
      {0, 0},
      {0, 99},
      {block - 1, block}, // across the first boundary
      {block + 7, 3L * block - 1}, // two whole blocks and a bit
      {3L * block, SIZE - 1}, // the short last block
      {SIZE - 1, SIZE - 1},
    };

    for (long[] r : ranges) {
      assertThat(read(store, info, ByteRange.of(r[0], r[1])))
          .as("bytes %d-%d", r[0], r[1])
          .isEqualTo(Arrays.copyOfRange(bytes, (int) r[0], (int) r[1] + 1));
    }
    assertThat(read(store, info, ByteRange.from(2L * block + 3)))
        .isEqualTo(Arrays.copyOfRange(bytes, 2 * block + 3, SIZE));
    assertThat(store.wholeHashCount()).isZero();
  }

  @Test
  void linePreviewsOfAVersionJustWrittenAreItsLines() throws Exception {
    DocsGenServices services =
        new DocsGenServices(
            store,
            new InMemoryManifestStore(),
            tokens,
            new BundleSigner(BundleSigner.generate()),
            TestJsonParser.INSTANCE,
            TestContent.clock());
    Run created = services.createRun("alice", List.of("docsgen.md"), false);
    PhaseExecution phase = services.start(created.runId(), Stage.FINAL, "orchestrator");
    LogicalPath doc = LogicalPath.of(created.runId(), Stage.FINAL, "docsgen.md");
    StringBuilder text = new StringBuilder();
    for (int line = 1; line <= 5000; line++) { // ~ 170 KiB: three blocks
      text.append("line ").append(line).append(" of the documentation, seeded\n");
    }
    services.write(
        new WriteCommand(
            doc, ArtifactType.DOCUMENTATION, "text/markdown", "orchestrator", false, null, 1 << 20),
        new ByteArrayInputStream(text.toString().getBytes(UTF_8)));

    TextSlice first = services.readLines(doc, 0, 1, 2);
    TextSlice late = services.readLines(doc, 1, 4999, 5000);

    assertThat(first.text())
        .isEqualTo("line 1 of the documentation, seeded\nline 2 of the documentation, seeded\n");
    assertThat(late.text())
        .isEqualTo(
            "line 4999 of the documentation, seeded\nline 5000 of the documentation, seeded\n");
    assertThat(store.wholeHashCount()).isZero();
  }

  @Test
  void bothGenerationsOfAnOverwriteReadBackRightAfterIt() throws Exception {
    byte[] one = bytes("generation one");
    byte[] two = TestContent.bytes("generation two", SIZE + 5);
    ArtifactInfo first = write(path("phase1/over.bin"), one);
    WriteResult second = overwrite(first, two);

    assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
    assertThat(second.info().generation()).isEqualTo(2);
    assertThat(read(store, first)).isEqualTo(one);
    assertThat(read(store, second.info())).isEqualTo(two);
    assertThat(read(store, second.info(), ByteRange.of(SIZE, SIZE + 4)))
        .isEqualTo(Arrays.copyOfRange(two, SIZE, SIZE + 5));
    try (ArtifactContent latest = store.open(ReadRequest.of(first.path(), ReadRequest.LATEST))) {
      assertThat(latest.info()).isEqualTo(second.info());
      assertThat(latest.stream().readAllBytes()).isEqualTo(two);
    }
    assertThat(store.wholeHashCount()).isZero();
    assertThat(read(freshStore(), first)).isEqualTo(one);
    assertThat(read(freshStore(), second.info())).isEqualTo(two);
  }

  /**
   * An unchanged write stored nothing: the bytes on disk are another writer's, and what happened to
   * them before this write is not this write's to vouch for, so their first read here hashes them.
   */
  @Test
  void anUnchangedWriteSeedsNothing() throws Exception {
    byte[] bytes = bytes("same");
    ArtifactInfo info =
        freshStore()
            .write(
                WriteRequest.create(
                    path("phase1/same.bin"), ArtifactType.OTHER, "application/octet-stream", "x"),
                new ByteArrayInputStream(bytes))
            .info();
    WriteResult again = overwrite(info, bytes);

    assertThat(again.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(read(store, info)).isEqualTo(bytes);
    assertThat(store.wholeHashCount()).isEqualTo(1);
  }

  @Test
  void aStreamedWriteInOddChunksSeedsTheCrcsAReadWouldTake() throws Exception {
    byte[] bytes = bytes("chunks");
    InputStream odd =
        new ByteArrayInputStream(bytes) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1000)); // never on a block boundary
          }
        };
    ArtifactInfo info =
        store
            .write(
                WriteRequest.create(
                    path("phase1/odd.bin"), ArtifactType.OTHER, "application/octet-stream", "x"),
                odd)
            .info();

    // every block is read and checked against a CRC taken while writing
    assertThat(read(store, info)).isEqualTo(bytes);
    for (int block = 0; block < 4; block++) {
      long first = (long) block * VerifiedReads.BLOCK_BYTES;
      assertThat(read(store, info, ByteRange.of(first, first))).containsExactly(bytes[(int) first]);
    }
    assertThat(store.wholeHashCount()).isZero();
  }
}
