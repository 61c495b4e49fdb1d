package org.docsgen.store.ports.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleZipWriter;
import org.docsgen.store.ports.contract.ContractSupport.Outcome;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.error.StoreException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.OrphanRemoval;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.StoreHealth;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.docsgen.store.ports.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ArtifactStore} promises. Each adapter's test subclasses this and
 * supplies only the backend through the hooks; backend differences are hook methods, and an
 * unsupported case is skipped by an assumption that says why.
 *
 * <p>Hooks: {@link #createStore}, {@link #assertBackendEmpty}, {@link #tamper} (abstract); {@link
 * #supportsAtomicCreate}, {@link #assertNoBytesLeft}, {@link #closeStore}, {@link
 * #largeContentSize} (defaults).
 */
public abstract class ArtifactStoreContract {
  /** The overwrite-token key every contract store is built with. */
  protected static final byte[] TOKEN_KEY =
      "contract-test-overwrite-token-key-0123456789".getBytes(StandardCharsets.UTF_8);

  /** How many writers race in the concurrency tests. */
  protected static final int RACERS = 16;

  protected final MutableClock clock = MutableClock.startingAt("2026-11-28T10:00:00Z");
  protected final OverwriteTokens tokens = new OverwriteTokens(TOKEN_KEY, clock);
  protected ArtifactStore store;
  protected RunId run;

  /**
   * A new, empty store over a fresh backend location (directory, bucket, schema), guarded with
   * {@code tokens} and stamping {@code createdAt} from {@code clock}.
   */
  protected abstract ArtifactStore createStore(OverwriteTokens tokens, java.time.Clock clock)
      throws Exception;

  /** Asserts through the raw backend (filesystem, S3 client, JDBC) that the store holds nothing. */
  protected abstract void assertBackendEmpty() throws Exception;

  /** Alters the stored bytes of one version behind the store's back. */
  protected abstract void tamper(LogicalPath path, int generation) throws Exception;

  /** Whether concurrent exclusive creates of one location are atomic on this backend. */
  protected boolean supportsAtomicCreate() {
    return true;
  }

  /**
   * Asserts through the raw backend that no bytes of a removed version remain (files, objects,
   * rows). Default: nothing beyond what the port shows.
   */
  protected void assertNoBytesLeft(LogicalPath path, int generation) throws Exception {}

  /** Releases the backend; default does nothing. */
  protected void closeStore() throws Exception {}

  /**
   * Size of the large streamed artifact (default a little over 3 MiB, not a multiple of any buffer
   * size). A backend may raise it, e.g. to cross a multipart threshold.
   */
  protected long largeContentSize() {
    return 3L * 1024 * 1024 + 12_345;
  }

  @BeforeEach
  void setUpStore() throws Exception {
    store = createStore(tokens, clock);
    assertBackendEmpty();
    run = RunId.of(LocalDate.of(2026, 11, 28), ThreadLocalRandom.current().nextInt(1, 9999));
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeStore();
  }

  protected LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  protected WriteResult write(WriteRequest request, byte[] bytes) {
    return store.write(request, new ByteArrayInputStream(bytes));
  }

  protected static WriteRequest doc(LogicalPath path) {
    return WriteRequest.create(path, ArtifactType.DOCUMENTATION, "text/markdown", "tester");
  }

  protected static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  protected byte[] readAll(ReadRequest request) throws IOException {
    try (ArtifactContent content = store.open(request)) {
      return content.stream().readAllBytes();
    }
  }

  private static void assertStoreRefusal(Throwable e, LogicalPath p, ContentHash current) {
    assertThat(e)
        .isInstanceOfSatisfying(
            ImmutableException.class,
            refusal -> {
              assertThat(refusal.layer()).isEqualTo(ImmutableException.Layer.STORE);
              assertThat(refusal.path()).isEqualTo(p);
              assertThat(refusal.currentHash()).contains(current);
            })
        .hasMessageContaining(p.toString());
  }

  /**
   * The store's guard refused a racer: {@link ImmutableException} of the store layer, for {@code
   * p}, with a current hash (which one depends on the race).
   */
  private static void assertStoreRefusalOf(Throwable e, LogicalPath p) {
    assertThat(e)
        .isInstanceOfSatisfying(
            ImmutableException.class,
            refusal -> {
              assertThat(refusal.layer()).isEqualTo(ImmutableException.Layer.STORE);
              assertThat(refusal.path()).isEqualTo(p);
              assertThat(refusal.currentHash()).isPresent();
            })
        .hasMessageContaining(p.toString());
  }

  // ---- write, read, hash

  @Test
  void writeThenReadReturnsSameBytesAndJdkHash() {
    LogicalPath p = path("phase1/docsgen.md");
    byte[] bytes = "# DocsGen\n".getBytes(StandardCharsets.UTF_8);

    WriteResult result = write(doc(p), bytes);

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    ArtifactInfo info = result.info();
    assertThat(info.generation()).isEqualTo(1);
    assertThat(info.size()).isEqualTo(bytes.length);
    assertThat(info.hash()).isEqualTo(ContentHash.sha256(bytes));
    assertThat(store.readBinary(p)).isEqualTo(bytes);
    assertThat(store.stat(p)).contains(info);
  }

  @Test
  void writeRecordsTypeMediaTypeCreatorAndClockTime() {
    LogicalPath p = path("phase2/sub/dir/report.json");
    WriteRequest request =
        WriteRequest.create(p, ArtifactType.VALIDATION_REPORT, "application/json", "validator-7");

    ArtifactInfo info = write(request, utf8("{\"ok\":true}")).info();

    assertThat(info.path()).isEqualTo(p);
    assertThat(info.type()).isEqualTo(ArtifactType.VALIDATION_REPORT);
    assertThat(info.mediaType()).isEqualTo("application/json");
    assertThat(info.createdBy()).isEqualTo("validator-7");
    assertThat(info.createdAt()).isEqualTo(clock.instant());
    assertThat(store.stat(p, 1)).contains(info);
  }

  @Test
  void emptyContentIsStoredWithTheHashOfNoBytes() throws IOException {
    LogicalPath p = path("phase1/empty.txt");

    ArtifactInfo info = write(doc(p), new byte[0]).info();

    assertThat(info.size()).isZero();
    assertThat(info.hash()).isEqualTo(ContractSupport.jdkSha256(new byte[0]));
    assertThat(readAll(ReadRequest.latest(p))).isEmpty();
  }

  @Test
  void randomBinaryContentHashEqualsTheJdkDigest() throws IOException {
    int[] sizes = {1, 2, 255, 4096, 65_535, 65_536, 65_537, 200_003};
    for (int i = 0; i < sizes.length; i++) {
      LogicalPath p = path("phase3/bin/blob-" + i + ".bin");
      byte[] bytes = ContractSupport.randomBytes(1000 + i, sizes[i]);
      bytes[0] = 0;

      ArtifactInfo info =
          write(WriteRequest.create(p, ArtifactType.OTHER, MediaTypes.OCTET_STREAM, "t"), bytes)
              .info();

      assertThat(info.hash()).as("hash of %s", p).isEqualTo(ContractSupport.jdkSha256(bytes));
      assertThat(info.size()).isEqualTo(sizes[i]);
      assertThat(readAll(ReadRequest.of(p, 1))).as("bytes of %s", p).isEqualTo(bytes);
    }
  }

  @Test
  void largeContentStreamsThroughAndHashesLikeTheJdk() throws IOException {
    LogicalPath p = path("phase1/large.bin");
    long size = largeContentSize();
    long seed = 77;

    ArtifactInfo info =
        store
            .write(
                WriteRequest.create(p, ArtifactType.OTHER, MediaTypes.OCTET_STREAM, "t"),
                new ContractSupport.GeneratedInputStream(seed, size))
            .info();

    ContentHash expected =
        ContractSupport.jdkSha256(new ContractSupport.GeneratedInputStream(seed, size));
    assertThat(info.size()).isEqualTo(size);
    assertThat(info.hash()).isEqualTo(expected);
    try (ArtifactContent content = store.open(ReadRequest.latest(p))) {
      assertThat(ContractSupport.jdkSha256(content.stream())).isEqualTo(expected);
      assertThat(content.length()).isEqualTo(size);
    }
  }

  /**
   * Asserts {@code write} failed because the caller's content could not be read: exactly {@link
   * InvalidInputException} (not a subclass) of field {@code body}, naming the path — what the HTTP
   * API answers as 400 invalid-body and the CLI as exit 2 — on every backend. Never {@link
   * BackendUnavailableException} (503, and a store marked down): the client's body broke, not the
   * backend.
   */
  private void assertBrokenBody(ThrowingCallable write, LogicalPath p) {
    assertThatThrownBy(write)
        .isExactlyInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("body"))
        .hasMessageContaining(p.toString());
  }

  @Test
  void aBodyThatBreaksMidStreamIsInvalidInputAndLeavesNothingBehind() throws Exception {
    // into folders that do not exist yet: a refused body must not leave them behind either
    LogicalPath p = path("phase1/new-folder/deeper/broken-upload.bin");
    // before the first byte, within the first buffer, and past a database chunk (1 MiB)
    for (long goodBytes : new long[] {0, 100_000, 1_500_000}) {
      assertBrokenBody(
          () ->
              store.write(
                  WriteRequest.create(p, ArtifactType.OTHER, MediaTypes.OCTET_STREAM, "t"),
                  new ContractSupport.FailingInputStream(goodBytes)),
          p);

      assertThat(store.stat(p)).as("after %s good bytes", goodBytes).isEmpty();
      assertThat(store.listVersions(run, PageRequest.first()).items()).isEmpty();
      assertBackendEmpty();
    }
    assertThat(store.health().up()).as("a client's broken body is no backend failure").isTrue();
    assertThat(write(doc(p), utf8("later")).outcome()).isEqualTo(WriteResult.Outcome.CREATED);
  }

  @Test
  void aBodyThatBreaksDuringAnOverwriteKeepsTheCurrentGenerationAndTheToken() {
    LogicalPath p = path("phase1/kept.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();
    String token = tokens.mint(first.version());

    assertBrokenBody(
        () -> store.write(doc(p).withToken(token), new ContractSupport.FailingInputStream(50_000)),
        p);

    assertUnchanged(p, first, "one");
    assertThat(store.listVersions(run, PageRequest.first()).items()).containsExactly(first);
    WriteResult retried = write(doc(p).withToken(token), utf8("two"));
    assertThat(retried.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
    assertThat(retried.info().generation()).isEqualTo(2);
  }

  /**
   * A port exception thrown by the content stream itself (the HTTP layer's body stream refuses an
   * upload past the size limit, or one cut short, this way) reaches the caller as the very same
   * exception: no backend re-wraps it into another status.
   */
  @Test
  void aPortExceptionThrownByTheBodyReachesTheCallerUnchanged() throws Exception {
    LogicalPath p = path("phase1/refused-body.bin");
    List<StoreException> refusals =
        List.of(
            new PayloadTooLargeException("the artifact", 1000),
            new InvalidInputException("body", "the request body was cut short"));

    for (StoreException refusal : refusals) {
      assertThatThrownBy(
              () ->
                  store.write(
                      WriteRequest.create(p, ArtifactType.OTHER, MediaTypes.OCTET_STREAM, "t"),
                      new ContractSupport.FailingInputStream(1000, refusal)))
          .isSameAs(refusal);
      assertThat(store.stat(p)).isEmpty();
      assertBackendEmpty();
    }
    assertThat(store.health().up()).isTrue();
  }

  @Test
  void writeTextAndReadTextRoundTripNonAscii() {
    LogicalPath p = path("phase1/i18n.md");
    String text = "Grüße, 世界 — naïve café ✓ 🚀\nzweite Zeile\n";

    ArtifactInfo info = store.writeText(p, ArtifactType.DOCUMENTATION, text, "tester");

    assertThat(store.readText(p)).isEqualTo(text);
    assertThat(info.size()).isEqualTo(text.getBytes(UTF_8).length);
    assertThat(info.mediaType()).startsWith("text/markdown");
    assertThat(info.hash()).isEqualTo(ContractSupport.jdkSha256(text.getBytes(UTF_8)));
  }

  @Test
  void writeBinaryAndReadBinaryRoundTrip() {
    LogicalPath p = path("phase1/image.png");
    byte[] bytes = ContractSupport.randomBytes(5, 3000);

    ArtifactInfo info = store.writeBinary(p, ArtifactType.OTHER, bytes, "image/png", "tester");

    assertThat(info.mediaType()).isEqualTo("image/png");
    assertThat(store.readBinary(p)).isEqualTo(bytes);
  }

  // ---- ranges

  @Test
  void rangeReadsReturnTheFirstMiddleAndLastByte() throws IOException {
    LogicalPath p = path("phase1/range.bin");
    byte[] bytes = ContractSupport.randomBytes(9, 1000);
    write(doc(p), bytes);

    assertThat(readAll(ReadRequest.latest(p).withRange(ByteRange.of(0, 0))))
        .containsExactly(bytes[0]);
    assertThat(readAll(ReadRequest.latest(p).withRange(ByteRange.of(500, 500))))
        .containsExactly(bytes[500]);
    assertThat(readAll(ReadRequest.latest(p).withRange(ByteRange.of(999, 999))))
        .containsExactly(bytes[999]);
    assertThat(readAll(ReadRequest.latest(p).withRange(ByteRange.of(10, 19))))
        .isEqualTo(java.util.Arrays.copyOfRange(bytes, 10, 20));
  }

  @Test
  void openEndedAndOverlongRangesAreClippedAtTheEnd() throws IOException {
    LogicalPath p = path("phase1/range.bin");
    byte[] bytes = ContractSupport.randomBytes(10, 1000);
    write(doc(p), bytes);

    try (ArtifactContent content =
        store.open(ReadRequest.latest(p).withRange(ByteRange.from(990)))) {
      assertThat(content.range()).isEqualTo(ByteRange.of(990, 999));
      assertThat(content.length()).isEqualTo(10);
      assertThat(content.stream().readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(bytes, 990, 1000));
    }
    assertThat(readAll(ReadRequest.latest(p).withRange(ByteRange.of(995, 5000))))
        .isEqualTo(java.util.Arrays.copyOfRange(bytes, 995, 1000));
    assertThat(readAll(ReadRequest.latest(p).withRange(ByteRange.from(0)))).isEqualTo(bytes);
  }

  @Test
  void rangeStartingAtOrPastTheEndIsNotSatisfiable() {
    LogicalPath p = path("phase1/range.bin");
    write(doc(p), ContractSupport.randomBytes(11, 1000));

    assertThatThrownBy(() -> readAll(ReadRequest.latest(p).withRange(ByteRange.from(1000))))
        .isInstanceOfSatisfying(
            RangeNotSatisfiableException.class, e -> assertThat(e.size()).isEqualTo(1000));
    assertThatThrownBy(() -> readAll(ReadRequest.latest(p).withRange(ByteRange.of(5000, 6000))))
        .isInstanceOf(RangeNotSatisfiableException.class);
  }

  @Test
  void rangeReadOfAnOlderGenerationReadsThatGeneration() throws IOException {
    LogicalPath p = path("phase1/range.md");
    ArtifactInfo first = write(doc(p), utf8("generation one")).info();
    write(doc(p).withToken(tokens.mint(first.version())), utf8("GENERATION TWO"));

    assertThat(readAll(ReadRequest.of(p, 1).withRange(ByteRange.of(0, 9))))
        .isEqualTo(utf8("generation"));
    assertThat(readAll(ReadRequest.of(p, 2).withRange(ByteRange.of(0, 9))))
        .isEqualTo(utf8("GENERATION"));
  }

  // ---- stat, open of absent things

  @Test
  void statAnswersLatestAndEachGenerationAndEmptyWhenAbsent() {
    LogicalPath p = path("phase1/stat.md");
    assertThat(store.stat(p)).isEmpty();
    assertThat(store.stat(p, 1)).isEmpty();

    ArtifactInfo first = write(doc(p), utf8("one")).info();
    clock.advance(Duration.ofSeconds(5));
    ArtifactInfo second = write(doc(p).withToken(tokens.mint(first.version())), utf8("two")).info();

    assertThat(store.stat(p)).contains(second);
    assertThat(store.stat(p, 1)).contains(first);
    assertThat(store.stat(p, 2)).contains(second);
    assertThat(store.stat(p, 3)).isEmpty();
    assertThat(second.createdAt()).isEqualTo(first.createdAt().plusSeconds(5));
    assertThat(store.stat(path("phase1/other.md"))).isEmpty();
  }

  @Test
  void openOfAnAbsentPathIsNotFoundNamingThePath() {
    LogicalPath p = path("phase1/missing.md");

    assertThatThrownBy(() -> store.open(ReadRequest.latest(p)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(p.toString());
    assertThatThrownBy(() -> store.open(ReadRequest.of(p, 1)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(p.toString());
  }

  @Test
  void openOfAnAbsentGenerationIsNotFoundNamingThePath() {
    LogicalPath p = path("phase1/one-generation.md");
    write(doc(p), utf8("only"));

    assertThatThrownBy(() -> store.open(ReadRequest.of(p, 2)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(p.toString());
  }

  @Test
  void openWithTheExpectedHashReadsThatVersionAndAnotherHashIsNotFound() throws IOException {
    LogicalPath p = path("phase1/hash.md");
    ArtifactInfo info = write(doc(p), utf8("hashed")).info();

    assertThat(readAll(ReadRequest.of(p, 1).withHash(info.hash()))).isEqualTo(utf8("hashed"));
    ContentHash other = ContentHash.sha256(utf8("something else"));
    assertThatThrownBy(() -> store.open(ReadRequest.of(p, 1).withHash(other)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(p.toString());
  }

  // ---- listing

  @Test
  void listIsSortedByPathAndShowsOnlyLatestGenerationsOfTheRun() {
    LogicalPath b = path("phase1/b.md");
    LogicalPath a = path("phase1/a.md");
    LogicalPath nested = path("phase1/a/inner.md");
    LogicalPath finalDoc = path("final/z.md");
    write(doc(b), utf8("b"));
    ArtifactInfo a1 = write(doc(a), utf8("a1")).info();
    ArtifactInfo a2 = write(doc(a).withToken(tokens.mint(a1.version())), utf8("a2")).info();
    write(doc(nested), utf8("n"));
    write(doc(finalDoc), utf8("z"));
    RunId otherRun = RunId.of(run.date(), run.sequence() == 1 ? 2 : run.sequence() - 1);
    write(doc(LogicalPath.of(otherRun, Stage.phase(1), "x.md")), utf8("x"));

    List<ArtifactInfo> listed = store.list(run, Optional.empty(), PageRequest.first()).items();

    assertThat(listed)
        .extracting(ArtifactInfo::path)
        .containsExactly(sortedPaths(finalDoc, a, nested, b));
    assertThat(listed).contains(a2).doesNotContain(a1);
  }

  private static LogicalPath[] sortedPaths(LogicalPath... paths) {
    List<LogicalPath> list = new ArrayList<>(List.of(paths));
    Collections.sort(list);
    return list.toArray(LogicalPath[]::new);
  }

  @Test
  void listPaginatesWithoutDuplicatesOrGaps() {
    List<LogicalPath> written = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      LogicalPath p = path("phase1/doc-" + (char) ('a' + (i * 7) % 25) + i + ".md");
      write(doc(p), utf8("content " + i));
      written.add(p);
    }
    Collections.sort(written);

    List<Page<ArtifactInfo>> pages = pages(r -> store.list(run, Optional.empty(), r), 10);

    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).items()).hasSize(10);
    assertThat(pages.get(1).items()).hasSize(10);
    assertThat(pages.get(2).items()).hasSize(5);
    assertThat(pages.get(2).nextCursor()).isNull();
    assertThat(flatten(pages)).extracting(ArtifactInfo::path).containsExactlyElementsOf(written);
  }

  @Test
  void listFiltersByStageAcrossPages() {
    List<LogicalPath> phase2 = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      write(doc(path("phase1/p1-" + i + ".md")), utf8("p1 " + i));
      LogicalPath p = path("phase2/p2-" + i + ".md");
      write(doc(p), utf8("p2 " + i));
      phase2.add(p);
      write(doc(path("final/f-" + i + ".md")), utf8("f " + i));
    }
    Collections.sort(phase2);

    List<Page<ArtifactInfo>> pages = pages(r -> store.list(run, Optional.of(Stage.phase(2)), r), 5);

    assertThat(pages).hasSize(3);
    assertThat(flatten(pages)).extracting(ArtifactInfo::path).containsExactlyElementsOf(phase2);
    assertThat(store.list(run, Stage.FINAL)).hasSize(12);
    assertThat(store.list(run, Stage.phase(7))).isEmpty();
  }

  @Test
  void listVersionsListsEveryGenerationByPathThenGenerationAcrossPages() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      LogicalPath p = path("phase1/v" + i + ".md");
      ArtifactInfo current = write(doc(p), utf8(p + " gen 1")).info();
      for (int g = 2; g <= 3; g++) {
        current =
            write(doc(p).withToken(tokens.mint(current.version())), utf8(p + " gen " + g)).info();
      }
      for (int g = 1; g <= 3; g++) {
        expected.add(p + "@" + g);
      }
    }
    Collections.sort(expected);

    List<Page<ArtifactInfo>> pages = pages(r -> store.listVersions(run, r), 4);

    assertThat(pages).hasSize(6);
    assertThat(flatten(pages))
        .extracting(i -> i.path() + "@" + i.generation())
        .containsExactlyElementsOf(expected);
  }

  protected static <T> List<Page<T>> pages(Function<PageRequest, Page<T>> lister, int limit) {
    List<Page<T>> pages = new ArrayList<>();
    PageRequest request = PageRequest.first(limit);
    while (true) {
      Page<T> page = lister.apply(request);
      pages.add(page);
      if (page.nextCursor() == null || pages.size() > 1000) {
        return pages;
      }
      request = request.next(page.nextCursor());
    }
  }

  protected static <T> List<T> flatten(List<Page<T>> pages) {
    List<T> all = new ArrayList<>();
    pages.forEach(page -> all.addAll(page.items()));
    return all;
  }

  // ---- idempotence and the guard

  @Test
  void identicalRewriteIsIdempotent() {
    LogicalPath p = path("phase1/a.md");
    byte[] bytes = "same".getBytes(StandardCharsets.UTF_8);
    ArtifactInfo first = write(doc(p), bytes).info();
    clock.advance(Duration.ofMinutes(1));

    WriteResult again = write(doc(p), bytes);

    assertThat(again.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(again.info()).isEqualTo(first);
    assertThat(store.stat(p, 2)).isEmpty();
    assertThat(store.listVersions(run, PageRequest.first()).items()).containsExactly(first);
  }

  @Test
  void identicalRewriteWithAnUnneededTokenIsStillIdempotent() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), utf8("same")).info();

    WriteResult again = write(doc(p).withToken(tokens.mint(first.version())), utf8("same"));

    assertThat(again.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(again.info()).isEqualTo(first);
  }

  @Test
  void overwriteWithoutTokenIsRefusedByTheStoreNamingThePath() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), "one".getBytes(StandardCharsets.UTF_8)).info();

    assertThatThrownBy(() -> write(doc(p), "two".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            ImmutableException.class,
            e -> {
              assertThat(e.layer()).isEqualTo(ImmutableException.Layer.STORE);
              assertThat(e.currentHash()).contains(first.hash());
            })
        .hasMessageContaining(p.toString());
    assertThat(store.readBinary(p)).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void overwriteWithATokenForAnotherPathIsRefused() {
    LogicalPath p = path("phase1/a.md");
    LogicalPath other = path("phase1/b.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();
    ArtifactInfo otherInfo = write(doc(other), utf8("one")).info();

    Throwable e =
        catchFailure(() -> write(doc(p).withToken(tokens.mint(otherInfo.version())), utf8("two")));

    assertStoreRefusal(e, p, first.hash());
    assertUnchanged(p, first, "one");
  }

  @Test
  void overwriteWithAStaleTokenIsRefused() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();
    String staleToken = tokens.mint(first.version());
    ArtifactInfo second = write(doc(p).withToken(tokens.mint(first.version())), utf8("two")).info();

    Throwable e = catchFailure(() -> write(doc(p).withToken(staleToken), utf8("three")));

    assertStoreRefusal(e, p, second.hash());
    assertUnchanged(p, second, "two");
  }

  @Test
  void overwriteWithAnExpiredTokenIsRefused() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();
    String token = tokens.mint(first.version());
    clock.advance(OverwriteTokens.DEFAULT_TTL.plusSeconds(1));

    Throwable e = catchFailure(() -> write(doc(p).withToken(token), utf8("two")));

    assertStoreRefusal(e, p, first.hash());
    assertUnchanged(p, first, "one");
  }

  @Test
  void overwriteWithAForgedTokenIsRefused() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();
    OverwriteTokens forger =
        new OverwriteTokens(utf8("an-attacker-key-that-is-not-the-servers-key-000"), clock);
    String forged = forger.mint(first.version());
    String real = tokens.mint(first.version());
    String tampered = real.substring(0, real.length() - 2) + (real.endsWith("A") ? "BB" : "AA");

    for (String token : List.of(forged, tampered, "v1.garbage.token", "not-a-token")) {
      Throwable e = catchFailure(() -> write(doc(p).withToken(token), utf8("two")));
      assertStoreRefusal(e, p, first.hash());
    }
    assertUnchanged(p, first, "one");
  }

  @Test
  void aReusedTokenIsRefused() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();
    String token = tokens.mint(first.version());
    ArtifactInfo second = write(doc(p).withToken(token), utf8("two")).info();

    Throwable e = catchFailure(() -> write(doc(p).withToken(token), utf8("three")));

    assertStoreRefusal(e, p, second.hash());
    assertUnchanged(p, second, "two");
    assertThat(store.stat(p, 3)).isEmpty();
  }

  @Test
  void createOnlyOnAnExistingPathIsAlreadyExistsEvenWithTheSameBytes() {
    LogicalPath p = path("phase1/a.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();

    for (String content : List.of("one", "two")) {
      assertThatThrownBy(() -> write(doc(p).asCreateOnly(), utf8(content)))
          .isInstanceOfSatisfying(
              AlreadyExistsException.class,
              e -> {
                assertThat(e.path()).isEqualTo(p);
                assertThat(e.currentHash()).isEqualTo(first.hash());
              })
          .hasMessageContaining(p.toString());
    }
    assertUnchanged(p, first, "one");
  }

  @Test
  void createOnlyOnANewPathCreates() {
    LogicalPath p = path("phase1/new.md");

    WriteResult result = write(doc(p).asCreateOnly(), utf8("fresh"));

    assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    assertThat(result.info().generation()).isEqualTo(1);
  }

  @Test
  void validTokenMakesGenerationTwoAndKeepsGenerationOne() throws IOException {
    LogicalPath p = path(Stage.FINAL + "/b.md");
    ArtifactInfo first = write(doc(p), "one".getBytes(StandardCharsets.UTF_8)).info();
    String token = tokens.mint(first.version());

    WriteResult second = write(doc(p).withToken(token), "two".getBytes(StandardCharsets.UTF_8));

    assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
    assertThat(second.info().generation()).isEqualTo(2);
    assertThat(second.info().hash()).isEqualTo(ContentHash.sha256(utf8("two")));
    assertThat(store.stat(p, 1)).contains(first);
    assertThat(store.stat(p)).contains(second.info());
    assertThat(readAll(ReadRequest.of(p, 1))).isEqualTo(utf8("one"));
    assertThat(readAll(ReadRequest.of(p, 2))).isEqualTo(utf8("two"));
    assertThat(store.readBinary(p)).isEqualTo(utf8("two"));
  }

  private static Throwable catchFailure(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(c);
    assertThat(thrown).as("the write should have been refused").isNotNull();
    return thrown;
  }

  private void assertUnchanged(LogicalPath p, ArtifactInfo latest, String content) {
    assertThat(store.stat(p)).contains(latest);
    assertThat(store.stat(p, latest.generation() + 1)).isEmpty();
    assertThat(store.readBinary(p)).isEqualTo(utf8(content));
  }

  // ---- concurrency

  @Test
  void concurrentCreatesOfOnePathHaveExactlyOneWinner() throws Exception {
    assumeTrue(
        supportsAtomicCreate(),
        "this backend's exclusive create is not atomic under concurrency (e.g. s3proxy's"
            + " conditional put); the no-lost-writes test still runs");
    LogicalPath p = path("phase1/contended.md");

    List<Outcome<WriteResult>> outcomes =
        ContractSupport.race(RACERS, i -> () -> write(doc(p), utf8("writer " + i)));

    List<Outcome<WriteResult>> winners = outcomes.stream().filter(Outcome::succeeded).toList();
    assertThat(winners).hasSize(1);
    assertThat(winners.get(0).result().outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    for (Outcome<WriteResult> loser : outcomes) {
      if (!loser.succeeded()) {
        assertStoreRefusal(loser.failure(), p, winners.get(0).result().info().hash());
      }
    }
    assertThat(store.readBinary(p)).isEqualTo(utf8("writer " + winners.get(0).racer()));
    assertThat(store.stat(p, 2)).isEmpty();
  }

  @Test
  void concurrentCreatesNeverLoseOrAlterAcknowledgedBytes() throws Exception {
    LogicalPath p = path("phase1/contended.md");

    List<Outcome<WriteResult>> outcomes =
        ContractSupport.race(RACERS, i -> () -> write(doc(p), racerBytes(i)));

    assertAcknowledgedWritesReadable(p, outcomes);
  }

  @Test
  void concurrentOverwritesWithOneTokenHaveAtMostOneWinner() throws Exception {
    assumeTrue(
        supportsAtomicCreate(),
        "this backend's exclusive create is not atomic under concurrency (e.g. s3proxy's"
            + " conditional put); the no-lost-writes test still runs");
    LogicalPath p = path("phase1/overwritten.md");
    ArtifactInfo first = write(doc(p), utf8("generation one")).info();
    String token = tokens.mint(first.version());

    List<Outcome<WriteResult>> outcomes =
        ContractSupport.race(RACERS, i -> () -> write(doc(p).withToken(token), racerBytes(i)));

    List<Outcome<WriteResult>> winners = outcomes.stream().filter(Outcome::succeeded).toList();
    assertThat(winners).hasSizeLessThanOrEqualTo(1);
    for (Outcome<WriteResult> winner : winners) {
      assertThat(winner.result().outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
      assertThat(winner.result().info().generation()).isEqualTo(2);
    }
    for (Outcome<WriteResult> loser : outcomes) {
      if (!loser.succeeded()) {
        assertStoreRefusalOf(loser.failure(), p);
      }
    }
    assertThat(store.stat(p, 3)).isEmpty();
    assertThat(readAll(ReadRequest.of(p, 1))).isEqualTo(utf8("generation one"));
  }

  @Test
  void concurrentOverwritesWithOneTokenNeverLoseOrAlterAcknowledgedBytes() throws Exception {
    LogicalPath p = path("phase1/overwritten.md");
    ArtifactInfo first = write(doc(p), utf8("generation one")).info();
    String token = tokens.mint(first.version());

    List<Outcome<WriteResult>> outcomes =
        ContractSupport.race(RACERS, i -> () -> write(doc(p).withToken(token), racerBytes(i)));

    assertAcknowledgedWritesReadable(p, outcomes);
    assertThat(readAll(ReadRequest.of(p, 1).withHash(first.hash())))
        .isEqualTo(utf8("generation one"));
    for (Outcome<WriteResult> o : outcomes) {
      if (o.succeeded()) {
        assertThat(o.result().info().generation()).isEqualTo(2);
      }
    }
  }

  private static byte[] racerBytes(int racer) {
    // different sizes too, so a mixed-up store cannot pass by length alone
    return utf8("racer " + racer + " ".repeat(racer * 13) + "end");
  }

  /**
   * Every write that returned a result can be read back by its generation and hash with exactly its
   * bytes; every other write was refused by the guard; the latest read is one of the acknowledged
   * writes.
   */
  private void assertAcknowledgedWritesReadable(LogicalPath p, List<Outcome<WriteResult>> outcomes)
      throws IOException {
    List<Outcome<WriteResult>> acknowledged = outcomes.stream().filter(Outcome::succeeded).toList();
    assertThat(acknowledged).as("at least one writer succeeds").isNotEmpty();
    Set<ContentHash> acknowledgedHashes = new HashSet<>();
    for (Outcome<WriteResult> o : outcomes) {
      if (!o.succeeded()) {
        assertStoreRefusalOf(o.failure(), p);
        continue;
      }
      ArtifactInfo info = o.result().info();
      byte[] mine = racerBytes(o.racer());
      assertThat(info.hash()).isEqualTo(ContentHash.sha256(mine));
      assertThat(readAll(ReadRequest.of(p, info.generation()).withHash(info.hash())))
          .as("acknowledged bytes of racer %s", o.racer())
          .isEqualTo(mine);
      acknowledgedHashes.add(info.hash());
    }
    byte[] latest = store.readBinary(p);
    assertThat(acknowledgedHashes).contains(ContentHash.sha256(latest));
  }

  // ---- integrity

  @Test
  void tamperedContentFailsAWholeReadWithAnIntegrityErrorNamingThePath() throws Exception {
    LogicalPath p = path("phase1/tampered.md");
    write(doc(p), utf8("the validated content of this artifact"));
    tamper(p, 1);

    assertThatThrownBy(() -> readAll(ReadRequest.latest(p)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(p.toString());
    assertThatThrownBy(() -> store.readBinary(p))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(p.toString());
  }

  @Test
  void tamperingWithOneGenerationLeavesTheOtherReadable() throws Exception {
    LogicalPath p = path("phase1/tampered.md");
    ArtifactInfo first = write(doc(p), utf8("generation one")).info();
    write(doc(p).withToken(tokens.mint(first.version())), utf8("generation two"));
    tamper(p, 1);

    assertThatThrownBy(() -> readAll(ReadRequest.of(p, 1)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(p.toString());
    assertThat(readAll(ReadRequest.of(p, 2))).isEqualTo(utf8("generation two"));
  }

  // ---- bundle zip

  private List<LogicalPath> writeCoreFiles() {
    List<LogicalPath> core = new ArrayList<>();
    String[] names = {"zeta.md", "docsgen.md", "alpha.md", "api.json"};
    for (int i = 0; i < names.length; i++) {
      LogicalPath p = path((i % 2 == 0 ? "final/" : "phase2/") + names[i]);
      write(doc(p), utf8("content of " + names[i] + "\n".repeat(i + 1)));
      core.add(p);
    }
    return core;
  }

  @Test
  void bundleZipIsDeterministicAcrossPathsAndCalls() throws IOException {
    List<LogicalPath> core = writeCoreFiles();
    clock.advance(Duration.ofHours(3));

    ArtifactInfo one = store.bundleZip(run, path("final/one.zip"), core);
    clock.advance(Duration.ofDays(1));
    List<LogicalPath> shuffled = new ArrayList<>(core);
    Collections.reverse(shuffled);
    ArtifactInfo two = store.bundleZip(run, path("final/two.zip"), shuffled);

    assertThat(one.hash()).isEqualTo(two.hash());
    assertThat(one.size()).isEqualTo(two.size());
    assertThat(one.type()).isEqualTo(ArtifactType.BUNDLE);
    assertThat(one.mediaType()).isEqualTo(MediaTypes.ZIP);
    assertThat(readAll(ReadRequest.latest(path("final/one.zip"))))
        .isEqualTo(readAll(ReadRequest.latest(path("final/two.zip"))));
  }

  @Test
  void bundleZipHasSortedEntriesWithFixedTimestampsAndTheExactBytes(@TempDir Path tmp)
      throws IOException {
    List<LogicalPath> core = writeCoreFiles();
    LogicalPath zipPath = path("final/bundle.zip");

    store.bundleZip(run, zipPath, core);

    Path local = tmp.resolve("bundle.zip");
    Files.write(local, readAll(ReadRequest.latest(zipPath)));
    LocalDateTime fixedLocal =
        LocalDateTime.ofInstant(BundleZipWriter.FIXED_TIME, java.time.ZoneOffset.UTC);
    try (ZipFile zip = ZipFile.builder().setPath(local).get()) {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
      assertThat(entries)
          .extracting(ZipArchiveEntry::getName)
          .containsExactly("alpha.md", "api.json", "docsgen.md", "zeta.md");
      for (ZipArchiveEntry entry : entries) {
        // DOS times are local wall-clock times: read back in this JVM's zone they must be the
        // fixed wall-clock time, whatever the zone was when the zip was written
        assertThat(
                LocalDateTime.ofInstant(
                    entry.getLastModifiedDate().toInstant(), ZoneId.systemDefault()))
            .as("time of %s", entry.getName())
            .isEqualTo(fixedLocal);
        assertThat(entry.getUnixMode()).isEqualTo(0100644);
        assertThat(entry.getExtraFields()).isEmpty();
        LogicalPath source =
            core.stream().filter(c -> c.fileName().equals(entry.getName())).findFirst().get();
        try (InputStream in = zip.getInputStream(entry)) {
          assertThat(in.readAllBytes()).isEqualTo(store.readBinary(source));
        }
      }
    }
  }

  @Test
  void bundleZipBytesDoNotDependOnTheDefaultTimeZone() throws IOException {
    List<LogicalPath> core = writeCoreFiles();
    TimeZone original = TimeZone.getDefault();
    List<ContentHash> hashes = new ArrayList<>();
    try {
      int i = 0;
      for (String zone :
          List.of("UTC", "Pacific/Kiritimati", "America/Los_Angeles", "Asia/Kolkata")) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        hashes.add(store.bundleZip(run, path("final/tz-" + i++ + ".zip"), core).hash());
      }
    } finally {
      TimeZone.setDefault(original);
    }

    assertThat(new HashSet<>(hashes)).hasSize(1);
  }

  @Test
  void bundleZipIsStoredAsAnImmutableBundle() {
    List<LogicalPath> core = writeCoreFiles();
    LogicalPath zipPath = path("final/bundle.zip");
    ArtifactInfo bundle = store.bundleZip(run, zipPath, core);

    assertThat(store.bundleZip(run, zipPath, core)).isEqualTo(bundle);
    Throwable e = catchFailure(() -> store.bundleZip(run, zipPath, core.subList(0, 2)));
    assertStoreRefusal(e, zipPath, bundle.hash());
    assertThat(store.stat(zipPath, 2)).isEmpty();
  }

  @Test
  void bundleZipOfAMissingCoreFileIsNotFoundAndStoresNothing() {
    List<LogicalPath> core = new ArrayList<>(writeCoreFiles());
    LogicalPath missing = path("final/missing.md");
    core.add(missing);
    LogicalPath zipPath = path("final/bundle.zip");

    assertThatThrownBy(() -> store.bundleZip(run, zipPath, core))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(missing.toString());
    assertThat(store.stat(zipPath)).isEmpty();
  }

  // ---- the longest valid names (issue 11: a valid name is never a backend error)

  /**
   * A file name of {@link LogicalPath#MAX_SEGMENT_BYTES} bytes at generations 1, 2 and 10 (and one
   * of 253 bytes across generations 1 to 10), beside the 254-byte name it extends and a folder of
   * the same name, and a path of {@link LogicalPath#MAX_BYTES} bytes: written, read back, listed in
   * path order, overwritten with a token, and an orphaned latest generation removed. A backend's
   * own name limits (a file system's 255-byte entry names, a key segment on s3proxy's filesystem
   * backend) must not show through.
   */
  @Test
  void theLongestValidNamesAndPathsWorkAtEveryGeneration() throws IOException {
    String stem = "l".repeat(LogicalPath.MAX_SEGMENT_BYTES - 1);
    LogicalPath longest = path("phase1/" + stem + "z");
    LogicalPath shorter = path("phase1/" + stem);
    LogicalPath below = path("phase1/" + stem + "z/inner.md");
    LogicalPath near = path("phase1/" + "m".repeat(LogicalPath.MAX_SEGMENT_BYTES - 2));
    String prefix = run + "/phase1/" + "f".repeat(LogicalPath.MAX_SEGMENT_BYTES) + "/";
    LogicalPath widest =
        LogicalPath.parse(prefix + "w".repeat(LogicalPath.MAX_BYTES - prefix.length()));
    assertThat(longest.fileName()).hasSize(LogicalPath.MAX_SEGMENT_BYTES);
    assertThat(widest.toString()).hasSize(LogicalPath.MAX_BYTES);

    List<ArtifactInfo> generations = new ArrayList<>();
    generations.add(write(doc(longest), utf8("long 1")).info());
    for (int g = 2; g <= 10; g++) {
      WriteResult next =
          write(
              doc(longest).withToken(tokens.mint(generations.get(g - 2).version())),
              utf8("long " + g));
      assertThat(next.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
      generations.add(next.info());
    }
    ArtifactInfo nearInfo = write(doc(near), utf8("near 1")).info();
    for (int g = 2; g <= 10; g++) {
      nearInfo =
          write(doc(near).withToken(tokens.mint(nearInfo.version())), utf8("near " + g)).info();
    }
    ArtifactInfo shorterInfo = write(doc(shorter), utf8("shorter")).info();
    ArtifactInfo belowInfo = write(doc(below), utf8("below")).info();
    ArtifactInfo widest1 = write(doc(widest), utf8("widest 1")).info();
    WriteResult widest2 =
        write(doc(widest).withToken(tokens.mint(widest1.version())), utf8("widest 2"));

    for (int g : new int[] {1, 2, 10}) {
      assertThat(generations.get(g - 1).generation()).isEqualTo(g);
      assertThat(readAll(ReadRequest.of(longest, g))).isEqualTo(utf8("long " + g));
      assertThat(store.stat(longest, g)).contains(generations.get(g - 1));
    }
    assertThat(store.stat(longest)).contains(generations.get(9));
    assertThat(store.readBinary(longest)).isEqualTo(utf8("long 10"));
    for (int g = 1; g <= 10; g++) {
      assertThat(readAll(ReadRequest.of(near, g))).isEqualTo(utf8("near " + g));
    }
    assertThat(nearInfo.generation()).isEqualTo(10);
    assertThat(store.readBinary(shorter)).isEqualTo(utf8("shorter"));
    assertThat(store.readBinary(below)).isEqualTo(utf8("below"));
    assertThat(widest2.outcome()).isEqualTo(WriteResult.Outcome.OVERWRITTEN);
    assertThat(widest2.info().generation()).isEqualTo(2);
    assertThat(readAll(ReadRequest.of(widest, 1))).isEqualTo(utf8("widest 1"));
    assertThat(store.readBinary(widest)).isEqualTo(utf8("widest 2"));

    // the stale token of generation 9 no longer overwrites; an identical rewrite is idempotent
    String stale = tokens.mint(generations.get(8).version());
    assertStoreRefusal(
        catchFailure(() -> write(doc(longest).withToken(stale), utf8("long 11"))),
        longest,
        generations.get(9).hash());
    assertThat(write(doc(longest), utf8("long 10")).outcome())
        .isEqualTo(WriteResult.Outcome.UNCHANGED);

    List<LogicalPath> all = List.of(sortedPaths(longest, shorter, below, near, widest));
    List<ArtifactInfo> listed =
        flatten(pages(r -> store.list(run, Optional.of(Stage.phase(1)), r), 2));
    assertThat(listed).extracting(ArtifactInfo::path).containsExactlyElementsOf(all);
    assertThat(listed)
        .contains(generations.get(9), nearInfo, shorterInfo, belowInfo, widest2.info());
    List<ArtifactInfo> versions = flatten(pages(r -> store.listVersions(run, r), 3));
    assertThat(versions).hasSize(10 + 10 + 1 + 1 + 2);
    assertThat(versions).containsAll(generations).contains(widest1);
    assertThat(versions.stream().filter(v -> v.path().equals(longest)).toList())
        .containsExactlyElementsOf(generations);

    // an unindexed latest generation goes, the one before it becomes the latest again
    clock.advance(Duration.ofHours(2));
    assertThat(store.deleteOrphan(generations.get(9), clock.instant().minus(Duration.ofHours(1))))
        .isEqualTo(OrphanRemoval.REMOVED);
    assertThat(store.stat(longest)).contains(generations.get(8));
    assertThat(store.stat(longest, 10)).isEmpty();
    assertThat(readAll(ReadRequest.of(longest, 9))).isEqualTo(utf8("long 9"));
  }

  // ---- orphan removal (fsck --repair)

  @Test
  void deleteOrphanRemovesAnOldLatestVersionAndTheGenerationCanBeWrittenAgain() throws Exception {
    LogicalPath p = path("phase1/orphan.md");
    LogicalPath kept = path("phase1/kept.md");
    ArtifactInfo orphan = write(doc(p), utf8("never acknowledged")).info();
    ArtifactInfo neighbour = write(doc(kept), utf8("indexed elsewhere")).info();
    clock.advance(Duration.ofHours(2));

    assertThat(store.deleteOrphan(orphan, clock.instant().minus(Duration.ofHours(1))))
        .isEqualTo(OrphanRemoval.REMOVED);

    assertThat(store.stat(p)).isEmpty();
    assertThat(store.stat(p, 1)).isEmpty();
    assertThatThrownBy(() -> store.open(ReadRequest.of(p, 1).withHash(orphan.hash())))
        .isInstanceOf(NotFoundException.class);
    assertThat(flatten(pages(page -> store.listVersions(run, page), 10)))
        .containsExactly(neighbour);
    assertNoBytesLeft(p, 1);
    assertThat(readAll(ReadRequest.latest(kept))).isEqualTo(utf8("indexed elsewhere"));
    assertThat(store.deleteOrphan(orphan, clock.instant())).isEqualTo(OrphanRemoval.ABSENT);

    WriteResult again = write(doc(p), utf8("written again"));
    assertThat(again.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    assertThat(again.info().generation()).isEqualTo(1);
    assertThat(readAll(ReadRequest.latest(p))).isEqualTo(utf8("written again"));
  }

  @Test
  void deleteOrphanNeverRemovesAVersionTheStoreStampedAtOrAfterTheCutoff() throws IOException {
    LogicalPath p = path("phase1/young.md");
    ArtifactInfo young = write(doc(p), utf8("just written")).info();
    clock.advance(Duration.ofMinutes(59));
    java.time.Instant cutoff = clock.instant().minus(Duration.ofHours(1));
    // the caller's description of the version claims it is old: the store's own stamp decides
    ArtifactInfo claimedOld =
        new ArtifactInfo(
            young.path(),
            young.type(),
            young.hash(),
            young.size(),
            young.mediaType(),
            young.createdBy(),
            cutoff.minus(Duration.ofDays(1)),
            young.generation());

    assertThat(store.deleteOrphan(claimedOld, cutoff)).isEqualTo(OrphanRemoval.TOO_YOUNG);
    assertThat(store.deleteOrphan(young, young.createdAt())).isEqualTo(OrphanRemoval.TOO_YOUNG);
    assertThat(readAll(ReadRequest.of(p, 1))).isEqualTo(utf8("just written"));
  }

  @Test
  void deleteOrphanKeepsAnyGenerationBelowTheLatestAndRemovesFromTheTopDown() throws Exception {
    LogicalPath p = path("phase1/stack.md");
    ArtifactInfo first = write(doc(p), utf8("one")).info();
    ArtifactInfo second = write(doc(p).withToken(tokens.mint(first.version())), utf8("two")).info();
    clock.advance(Duration.ofHours(2));
    java.time.Instant cutoff = clock.instant();

    assertThat(store.deleteOrphan(first, cutoff)).isEqualTo(OrphanRemoval.NOT_LATEST);
    assertThat(readAll(ReadRequest.of(p, 1))).isEqualTo(utf8("one"));

    assertThat(store.deleteOrphan(second, cutoff)).isEqualTo(OrphanRemoval.REMOVED);
    assertThat(store.stat(p)).contains(first);
    assertThat(readAll(ReadRequest.latest(p))).isEqualTo(utf8("one"));
    assertNoBytesLeft(p, 2);
    ArtifactInfo next =
        write(doc(p).withToken(tokens.mint(first.version())), utf8("two again")).info();
    assertThat(next.generation()).isEqualTo(2);
    assertThat(readAll(ReadRequest.of(p, 2))).isEqualTo(utf8("two again"));
  }

  @Test
  void deleteOrphanOfOtherBytesOrOfAnAbsentGenerationChangesNothing() throws IOException {
    LogicalPath p = path("phase1/other.md");
    ArtifactInfo stored = write(doc(p), utf8("stored")).info();
    clock.advance(Duration.ofHours(2));
    ArtifactInfo otherBytes =
        new ArtifactInfo(
            p,
            stored.type(),
            ContractSupport.jdkSha256(utf8("something else")),
            stored.size(),
            stored.mediaType(),
            stored.createdBy(),
            stored.createdAt(),
            1);
    ArtifactInfo absent =
        new ArtifactInfo(
            path("phase1/never.md"),
            stored.type(),
            stored.hash(),
            stored.size(),
            stored.mediaType(),
            stored.createdBy(),
            stored.createdAt(),
            1);

    assertThat(store.deleteOrphan(otherBytes, clock.instant()))
        .isEqualTo(OrphanRemoval.OTHER_BYTES);
    assertThat(store.deleteOrphan(absent, clock.instant())).isEqualTo(OrphanRemoval.ABSENT);
    assertThat(readAll(ReadRequest.latest(p))).isEqualTo(utf8("stored"));
  }

  // ---- health

  @Test
  void healthIsUpAndGuarded() {
    StoreHealth health = store.health();

    assertThat(health.up()).isTrue();
    assertThat(health.guarded()).isTrue();
    assertThat(health.backend()).isNotBlank();
  }
}
