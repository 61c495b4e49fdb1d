package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.StoreHealth;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.stream.DigestingInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filesystem-specific behaviour: the documented layout, reads, listings, errors, health. */
class FsArtifactStoreBehaviourTest {
  @TempDir Path temp;
  private Path root;
  private FsArtifactStore store;
  private final OverwriteTokens tokens = TestContent.tokens();
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 42);

  @BeforeEach
  void setUp() {
    root = temp.resolve("artifacts");
    store = new FsArtifactStore(root, tokens, TestContent.clock(), FsArtifactStore.NO_PACKING);
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  private ArtifactInfo write(LogicalPath p, String text) {
    return store.writeText(p, ArtifactType.DOCUMENTATION, text, "tester");
  }

  private ArtifactInfo overwrite(ArtifactInfo current, String text) {
    WriteRequest request =
        WriteRequest.create(
                current.path(), ArtifactType.DOCUMENTATION, current.mediaType(), "tester")
            .withToken(tokens.mint(current.version()));
    return store.write(request, new ByteArrayInputStream(text.getBytes(UTF_8))).info();
  }

  // ---- layout

  @Test
  void eachGenerationIsADirectoryWithContentAndMetadataAtTheDocumentedPlace() throws Exception {
    LogicalPath p = path("phase1/guides/setup/docsgen.md");
    ArtifactInfo first = write(p, "# one\n");
    ArtifactInfo second = overwrite(first, "# two\n");

    assertThat(RawLayout.content(root, p, 1)).hasContent("# one\n");
    assertThat(RawLayout.content(root, p, 2)).hasContent("# two\n");
    assertThat(Files.readAllLines(RawLayout.meta(root, p, 2), UTF_8))
        .containsExactly(
            "format=docsgen-fs-artifact/1",
            "path=" + p,
            "generation=2",
            "type=DOCUMENTATION",
            "mediaType=text/markdown; charset=utf-8",
            "createdBy=tester",
            "createdAt=2026-11-28T10:00:00Z",
            "size=6",
            "hash=" + second.hash());
    // any publication takes the lock in ~packs/, so once written to, a root says it may hold
    // packed generations: a store that does not know them refuses it
    assertThat(root.resolve("docsgen-fs-store.properties")).hasContent("format=docsgen-fs-store/2");
    assertThat(RawLayout.stagingEntries(root)).isEmpty();
  }

  @Test
  void aNameTooLongForFileAtGenerationTakesTheHashedFormAndListsUnderItsRealName()
      throws Exception {
    String near = "m".repeat(253);
    LogicalPath p = path("phase1/" + near);
    ArtifactInfo current = write(p, "1");
    for (int g = 2; g <= 10; g++) {
      current = overwrite(current, Integer.toString(g));
    }
    LogicalPath longest = path("phase1/" + "n".repeat(255));
    write(longest, "n");
    Path parent = RawLayout.generationDir(root, p, 1).getParent();

    // readable while <file>@<N> fits in 255 bytes, hashed from the generation that does not
    assertThat(parent.resolve(near + "@9")).isDirectory();
    assertThat(parent.toFile().list()).doesNotContain(near + "@10"); // 256 bytes: cannot exist
    String hashed = RawLayout.generationDir(root, p, 10).getFileName().toString();
    assertThat(hashed).matches("m{100}@sha256-[0-9a-f]{64}@10").hasSizeLessThan(255);
    assertThat(RawLayout.content(root, p, 10)).hasContent("10");
    assertThat(RawLayout.content(root, longest, 1)).hasContent("n");
    assertThat(RawLayout.meta(root, longest, 1)).content(UTF_8).contains("path=" + longest + "\n");

    // a hashed entry whose metadata is another name's is nobody's: not listed under either name
    Path foreign = parent.resolve("n".repeat(100) + "@sha256-" + "0".repeat(64) + "@2");
    Files.createDirectory(foreign);
    Files.copy(RawLayout.meta(root, longest, 1), foreign.resolve("meta.properties"));
    Files.copy(RawLayout.content(root, longest, 1), foreign.resolve("content"));

    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items())
        .extracting(ArtifactInfo::path, ArtifactInfo::generation)
        .containsExactly(tuple(p, 10), tuple(longest, 1));
    assertThat(store.listVersions(run, PageRequest.first()).items())
        .extracting(ArtifactInfo::generation)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1);
  }

  @Test
  void metadataKeepsAwkwardTextExactly() {
    LogicalPath p = path("phase1/a.txt");
    String mediaType = " text/plain; charset=utf-8; note=\"a:b#c!d\"\\";
    String createdBy = "ünïcødé\nsecond line\ttab";
    ArtifactInfo info =
        store
            .write(
                WriteRequest.create(p, ArtifactType.OTHER, mediaType, createdBy),
                new ByteArrayInputStream(new byte[] {1, 2, 3}))
            .info();

    ArtifactInfo read = store.stat(p).orElseThrow();

    assertThat(read).isEqualTo(info);
    assertThat(read.mediaType()).isEqualTo(mediaType);
    assertThat(read.createdBy()).isEqualTo(createdBy);
  }

  // ---- reads

  @Test
  void byteRangesReadFromTheRightGeneration() throws Exception {
    LogicalPath p = path("phase1/r.txt");
    ArtifactInfo first = write(p, "0123456789");
    overwrite(first, "abcdefghij");

    assertThat(read(ReadRequest.of(p, 1).withRange(ByteRange.of(2, 4)))).isEqualTo("234");
    assertThat(read(ReadRequest.latest(p).withRange(ByteRange.from(7)))).isEqualTo("hij");
    assertThat(read(ReadRequest.latest(p).withRange(ByteRange.of(9, 100)))).isEqualTo("j");
    try (ArtifactContent content =
        store.open(ReadRequest.latest(p).withRange(ByteRange.of(3, 5)))) {
      assertThat(content.range()).isEqualTo(ByteRange.of(3, 5));
      assertThat(content.length()).isEqualTo(3);
      assertThat(content.info().generation()).isEqualTo(2);
    }
    assertThatThrownBy(() -> store.open(ReadRequest.latest(p).withRange(ByteRange.from(10))))
        .isInstanceOf(RangeNotSatisfiableException.class);
  }

  @Test
  void missingPathsGenerationsAndHashesAreNotFound() {
    LogicalPath p = path("phase1/n.txt");
    assertThatThrownBy(() -> store.open(ReadRequest.latest(p)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(p.toString());
    ArtifactInfo info = write(p, "x");
    assertThatThrownBy(() -> store.open(ReadRequest.of(p, 2)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("generation 2");
    assertThatThrownBy(
            () ->
                store.open(ReadRequest.of(p, 1).withHash(ContentHash.sha256("y".getBytes(UTF_8)))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(p.toString());
    assertThat(read(ReadRequest.of(p, 1).withHash(info.hash()))).isEqualTo("x");
    assertThat(store.stat(p, 0)).isEmpty();
    assertThat(store.stat(p, 7)).isEmpty();
  }

  @Test
  void tamperedContentFailsAtEndOfAWholeRead() throws Exception {
    LogicalPath p = path("phase1/t.txt");
    write(p, "trustworthy");
    Files.writeString(RawLayout.content(root, p, 1), "TRUSTWORTHY");

    assertThatThrownBy(() -> store.readText(p))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(p.toString());
    // a range read is checked as well: the first read of a stored object hashes it whole
    assertThatThrownBy(() -> read(ReadRequest.latest(p).withRange(ByteRange.of(0, 3))))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(p.toString());
  }

  @Test
  void aVerifiedObjectIsHashedOnceAndEveryLaterReadIsCheckedByBlock() throws Exception {
    LogicalPath p = path("phase1/blocks.bin");
    byte[] bytes = new byte[3 * VerifiedReads.BLOCK_BYTES + 17];
    new java.util.Random(3).nextBytes(bytes);
    store.writeBinary(p, ArtifactType.OTHER, bytes, "application/octet-stream", "test");

    try (ArtifactContent content = store.open(ReadRequest.latest(p))) {
      assertThat(content.stream().readAllBytes()).isEqualTo(bytes);
    }
    // ranges across block borders, the last partial block, one byte
    for (long[] r :
        new long[][] {{0, 0}, {65_530, 65_545}, {3L * 65_536, 3L * 65_536 + 16}, {5, 200_000}}) {
      try (ArtifactContent content =
          store.open(ReadRequest.latest(p).withRange(ByteRange.of(r[0], r[1])))) {
        assertThat(content.stream().readAllBytes())
            .isEqualTo(
                java.util.Arrays.copyOfRange(
                    bytes, (int) r[0], (int) Math.min(r[1] + 1, bytes.length)));
      }
    }
  }

  @Test
  void truncatedContentOrBrokenMetadataIsAnIntegrityFailure() throws Exception {
    LogicalPath truncated = path("phase1/cut.txt");
    write(truncated, "0123456789");
    Files.write(RawLayout.content(root, truncated, 1), "01234".getBytes(UTF_8));
    assertThatThrownBy(() -> store.open(ReadRequest.latest(truncated)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("5 bytes, not the recorded 10");

    LogicalPath broken = path("phase1/meta.txt");
    write(broken, "x");
    Files.writeString(RawLayout.meta(root, broken, 1), "format=docsgen-fs-artifact/1\n");
    assertThatThrownBy(() -> store.stat(broken))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(broken.toString());

    LogicalPath moved = path("phase1/moved.txt");
    Files.move(
        RawLayout.generationDir(root, truncated, 1), RawLayout.generationDir(root, moved, 1));
    assertThatThrownBy(() -> store.stat(moved))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("describes " + truncated);
  }

  @Test
  void largeContentStreamsThroughWithItsHashComputedOnTheWay() throws Exception {
    LogicalPath p = path("final/large.bin");
    long size = 24L * 1024 * 1024 + 17;
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream expected = TestContent.stream("large", size)) {
      byte[] buffer = new byte[8192];
      for (int n = expected.read(buffer); n > 0; n = expected.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }

    ArtifactInfo info =
        store
            .write(
                WriteRequest.create(p, ArtifactType.OTHER, "application/octet-stream", "t"),
                TestContent.stream("large", size))
            .info();

    assertThat(info.size()).isEqualTo(size);
    assertThat(info.hash().hex()).isEqualTo(HexFormat.of().formatHex(digest.digest()));
    try (ArtifactContent content = store.open(ReadRequest.latest(p))) {
      assertThat(content.stream().transferTo(java.io.OutputStream.nullOutputStream()))
          .isEqualTo(size);
    }
  }

  // ---- failed writes

  @Test
  void aBrokenContentStreamIsBadInputAndLeavesNothing() {
    LogicalPath p = path("phase1/broken.bin");
    InputStream breaking =
        new SequenceInputStream(
            new ByteArrayInputStream(new byte[100_000]),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("client went away");
              }
            });

    assertThatThrownBy(
            () -> store.write(WriteRequest.create(p, ArtifactType.OTHER, "x/y", "t"), breaking))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("body"))
        .hasMessageContaining(p.toString())
        .hasMessageContaining("client went away");
    assertThat(store.stat(p)).isEmpty();
    assertThat(RawLayout.stagingEntries(root)).isEmpty();
  }

  @Test
  void contentOverTheCallersLimitIsTooLarge() {
    LogicalPath p = path("phase1/big.bin");
    InputStream limited = new DigestingInputStream(TestContent.stream("big", 10_000), 4096);

    assertThatThrownBy(
            () -> store.write(WriteRequest.create(p, ArtifactType.OTHER, "x/y", "t"), limited))
        .isInstanceOfSatisfying(
            PayloadTooLargeException.class, e -> assertThat(e.limit()).isEqualTo(4096))
        .hasMessageContaining(p.toString());
    assertThat(RawLayout.stagingEntries(root)).isEmpty();
  }

  @Test
  void ioFailuresBecomePortExceptionsNamingWhatWasDone() {
    assertThat(FsErrors.translate(new IOException("No space left on device"), "writing a/b"))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("writing a/b")
        .hasMessageContaining("no space left");
    assertThat(
            FsErrors.translate(
                new java.nio.file.FileSystemException("/x", null, "Read-only file system"), "w"))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("read-only");
    assertThat(FsErrors.translate(new java.nio.file.AccessDeniedException("/srv/x"), "reading a"))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("permission denied")
        .hasMessageNotContaining("/srv/x");
  }

  // ---- listings

  @Test
  void listingFollowsLogicalPathOrderAcrossFoldersAndPages() {
    List<LogicalPath> written = new ArrayList<>();
    for (String name :
        List.of(
            "phase1/a.md",
            "phase1/a/b.md",
            "phase1/a-b.md",
            "phase1/a0.md",
            "phase1/a/b/c.md",
            "phase1/A.md",
            "phase10/x.md",
            "phase2/x.md",
            "final/z.md",
            "phase1/a",
            "phase1/a/a")) {
      LogicalPath p = path(name);
      write(p, name);
      written.add(p);
    }
    List<LogicalPath> sorted = written.stream().sorted().toList();

    for (int limit = 1; limit <= sorted.size() + 1; limit++) {
      assertThat(allPages(limit, Optional.empty())).as("limit " + limit).isEqualTo(sorted);
    }
    assertThat(allPages(2, Optional.of(Stage.phase(1))))
        .isEqualTo(sorted.stream().filter(p -> p.stage().equals(Stage.phase(1))).toList());
    assertThat(store.list(run, Optional.of(Stage.phase(7)), PageRequest.first()).items()).isEmpty();
    assertThat(
            store
                .list(RunId.of(LocalDate.of(2026, 1, 1), 1), Optional.empty(), PageRequest.first())
                .items())
        .isEmpty();
  }

  private List<LogicalPath> allPages(int limit, Optional<Stage> stage) {
    List<LogicalPath> paths = new ArrayList<>();
    PageRequest request = PageRequest.first(limit);
    while (true) {
      Page<ArtifactInfo> page = store.list(run, stage, request);
      assertThat(page.items().size()).isLessThanOrEqualTo(limit);
      page.items().forEach(i -> paths.add(i.path()));
      if (page.nextCursor() == null) {
        return paths;
      }
      assertThat(page.items()).hasSize(limit);
      request = request.next(page.nextCursor());
    }
  }

  @Test
  void listShowsLatestGenerationsAndListVersionsShowsEveryOneInOrder() {
    ArtifactInfo a1 = write(path("phase1/a.md"), "a1");
    ArtifactInfo a2 = overwrite(a1, "a2");
    ArtifactInfo a3 = overwrite(a2, "a3");
    ArtifactInfo b1 = write(path("phase1/b.md"), "b1");
    ArtifactInfo c1 = write(path("phase0/c.md"), "c1");
    ArtifactInfo c2 = overwrite(c1, "c2");

    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items())
        .containsExactly(c2, a3, b1);
    List<ArtifactInfo> versions = new ArrayList<>();
    PageRequest request = PageRequest.first(2);
    for (Page<ArtifactInfo> page = store.listVersions(run, request); ; ) {
      versions.addAll(page.items());
      if (page.nextCursor() == null) {
        break;
      }
      page = store.listVersions(run, request.next(page.nextCursor()));
    }
    assertThat(versions).containsExactly(c1, c2, a1, a2, a3, b1);
  }

  @Test
  void foreignOrStaleCursorsAreRefusedAsBadInput() {
    write(path("phase1/a.md"), "a");
    write(path("phase1/b.md"), "b");
    String cursor = store.list(run, Optional.empty(), PageRequest.first(1)).nextCursor();
    RunId other = RunId.of(LocalDate.of(2026, 11, 28), 43);

    assertThat(cursor).isNotNull();
    assertThatThrownBy(() -> store.list(other, Optional.empty(), new PageRequest(cursor, 1)))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    assertThatThrownBy(() -> store.listVersions(run, new PageRequest(cursor, 1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> store.list(run, Optional.empty(), new PageRequest("%%%", 1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> store.list(run, Optional.of(Stage.phase(2)), new PageRequest(cursor, 1)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void stagingDirectoriesAreInvisibleToReadsAndListings() throws Exception {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo info = write(p, "a");
    Path parent = RawLayout.generationDir(root, p, 1).getParent();
    Path staging = Files.createDirectory(parent.resolve("~tmp-in-flight"));
    Files.writeString(staging.resolve("content"), "partial");

    assertThat(store.list(run, Optional.empty(), PageRequest.first()).items())
        .containsExactly(info);
    assertThat(store.listVersions(run, PageRequest.first()).items()).containsExactly(info);
    assertThat(store.stat(p)).contains(info);
  }

  // ---- health and start-up

  @Test
  void healthSaysUpAndGuardedAndDownWhenTheRootIsGone() throws Exception {
    StoreHealth up = store.health();
    assertThat(up.backend()).isEqualTo("fs");
    assertThat(up.up()).isTrue();
    assertThat(up.guarded()).isTrue();
    assertThat(RawLayout.stagingEntries(root)).as("the probe cleans up").isEmpty();

    Files.delete(root.resolve("docsgen-fs-store.properties"));
    Files.delete(root);
    StoreHealth down = store.health();
    assertThat(down.up()).isFalse();
    assertThat(down.guarded()).isTrue();
    assertThat(down.detail()).isNotBlank();
  }

  @Test
  void aRootOfAnotherLayoutIsRefusedAtStart() throws Exception {
    Path foreign = Files.createDirectory(temp.resolve("foreign"));
    Files.writeString(
        foreign.resolve("docsgen-fs-store.properties"), "format=docsgen-fs-store/9\n");

    assertThatThrownBy(
            () ->
                new FsArtifactStore(
                    foreign, tokens, TestContent.clock(), FsArtifactStore.NO_PACKING))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("docsgen-fs-store/9");
  }

  @Test
  void writesMakeTheirNewDirectoriesAndAreReadableByAFreshStore() throws Exception {
    LogicalPath p = path("phase3/deep/er/still/file.json");
    ArtifactInfo info = write(p, "{}");
    Files.writeString(
        root.resolve(run.toString()).resolve("stray-file"), "ignored", StandardOpenOption.CREATE);

    FsArtifactStore reopened =
        new FsArtifactStore(root, tokens, TestContent.clock(), FsArtifactStore.NO_PACKING);

    assertThat(reopened.stat(p)).contains(info);
    assertThat(reopened.list(run, Optional.empty(), PageRequest.first()).items())
        .containsExactly(info);
  }

  private String read(ReadRequest request) {
    try (ArtifactContent content = store.open(request)) {
      return new String(content.stream().readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
