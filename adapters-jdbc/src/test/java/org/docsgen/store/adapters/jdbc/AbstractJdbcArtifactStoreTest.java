package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.contract.ArtifactStoreContract;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.junit.jupiter.api.Test;

/**
 * The artifact-store contract on the database-backed store, plus its own layout: chunk boundaries,
 * races decided by the (path, generation) key, and no leftover chunks from refused, oversized or
 * abandoned writes. Subclasses supply the database.
 */
abstract class AbstractJdbcArtifactStoreTest extends ArtifactStoreContract {
  private static final int CHUNK = JdbcArtifactStore.CHUNK_SIZE;

  protected JdbcSettings settings;
  private JdbcDatabase db;

  /** Settings of a new, empty database location (SQLite file, PostgreSQL schema). */
  protected abstract JdbcSettings newSettings();

  /** A raw JDBC connection to the same location, bypassing the adapter. */
  protected abstract Connection rawConnection() throws SQLException;

  @Override
  protected ArtifactStore createStore(OverwriteTokens tokens, Clock clock) {
    settings = newSettings().withArtifactsInDatabase(true);
    db = JdbcDatabase.open(settings);
    return new JdbcArtifactStore(db, tokens, clock);
  }

  @Override
  protected void assertBackendEmpty() throws SQLException {
    for (String table : List.of("blob_versions", "blob_chunks", "blob_uploads")) {
      assertThat(count("SELECT COUNT(*) FROM " + table)).as(table).isZero();
    }
  }

  @Override
  protected void assertNoBytesLeft(LogicalPath path, int generation) throws SQLException {
    assertThat(
            count(
                "SELECT COUNT(*) FROM blob_versions WHERE path = '"
                    + path
                    + "' AND generation = "
                    + generation))
        .as("version row")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM blob_chunks c WHERE NOT EXISTS"
                    + " (SELECT 1 FROM blob_versions v WHERE v.blob_id = c.blob_id)"))
        .as("chunks no version points at")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM blob_heads h WHERE NOT EXISTS (SELECT 1 FROM blob_versions v"
                    + " WHERE v.path = h.path AND v.generation = h.generation)"))
        .as("heads naming no version")
        .isZero();
  }

  @Override
  protected void tamper(LogicalPath path, int generation) throws SQLException {
    try (Connection c = rawConnection();
        PreparedStatement read =
            c.prepareStatement(
                "SELECT c.blob_id, c.bytes FROM blob_chunks c JOIN blob_versions v"
                    + " ON v.blob_id = c.blob_id WHERE v.path = ? AND v.generation = ?"
                    + " AND c.seq = 0")) {
      read.setString(1, path.toString());
      read.setInt(2, generation);
      long blobId;
      byte[] bytes;
      try (ResultSet rs = read.executeQuery()) {
        assertThat(rs.next()).as("a stored chunk of " + path).isTrue();
        blobId = rs.getLong(1);
        bytes = rs.getBytes(2);
      }
      bytes[0] ^= 0x20;
      try (PreparedStatement write =
          c.prepareStatement("UPDATE blob_chunks SET bytes = ? WHERE blob_id = ? AND seq = 0")) {
        write.setBytes(1, bytes);
        write.setLong(2, blobId);
        assertThat(write.executeUpdate()).isEqualTo(1);
      }
    }
  }

  @Override
  protected void closeStore() {
    db.close();
  }

  long count(String sql) throws SQLException {
    try (Connection c = rawConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  byte[] read(ReadRequest request) throws IOException {
    try (ArtifactContent content = store.open(request)) {
      return content.stream().readAllBytes();
    }
  }

  @Test
  void contentSpanningChunksRoundTripsWholeAndInRanges() throws Exception {
    LogicalPath p = path("phase1/big.bin");
    byte[] bytes = random(2 * CHUNK + CHUNK / 2, 7);

    ArtifactInfo info = write(doc(p), bytes).info();

    assertThat(info.hash()).isEqualTo(ContentHash.sha256(bytes));
    assertThat(count("SELECT COUNT(*) FROM blob_chunks")).isEqualTo(3);
    assertThat(read(ReadRequest.latest(p))).isEqualTo(bytes);
    ByteRange across = ByteRange.of(CHUNK - 10, 2L * CHUNK + 9);
    assertThat(read(ReadRequest.latest(p).withRange(across)))
        .isEqualTo(Arrays.copyOfRange(bytes, CHUNK - 10, 2 * CHUNK + 10));
    assertThat(read(ReadRequest.latest(p).withRange(ByteRange.from(bytes.length - 3))))
        .isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 3, bytes.length));
    try (ArtifactContent tail = store.open(ReadRequest.latest(p).withRange(ByteRange.from(5)))) {
      assertThat(tail.length()).isEqualTo(bytes.length - 5);
    }
  }

  @Test
  void exactlyOneChunkAndEmptyContentHaveNoPartialChunk() throws Exception {
    LogicalPath one = path("phase1/one.bin");
    LogicalPath empty = path("phase1/empty.bin");
    byte[] bytes = random(CHUNK, 3);
    write(doc(one), bytes);
    write(doc(empty), new byte[0]);

    assertThat(count("SELECT COUNT(*) FROM blob_chunks")).isEqualTo(1);
    assertThat(read(ReadRequest.latest(one))).isEqualTo(bytes);
    assertThat(read(ReadRequest.latest(empty))).isEmpty();
    assertThat(store.stat(empty).orElseThrow().hash()).isEqualTo(ContentHash.sha256(new byte[0]));
    assertThatThrownBy(() -> store.open(ReadRequest.latest(empty).withRange(ByteRange.from(0))))
        .isInstanceOf(RangeNotSatisfiableException.class);
  }

  @Test
  void contentIsStreamedNotBuffered() throws Exception {
    LogicalPath p = path("phase1/stream.bin");
    long size = 6L * CHUNK + 17;
    AtomicInteger maxAsked = new AtomicInteger();
    InputStream generated =
        new InputStream() {
          long left = size;

          @Override
          public int read() {
            return left-- > 0 ? (int) (left % 251) : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            maxAsked.accumulateAndGet(len, Math::max);
            if (left == 0) {
              return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
              b[off + i] = (byte) (--left % 251);
            }
            return n;
          }
        };

    WriteResult result = store.write(doc(p), generated);

    assertThat(result.info().size()).isEqualTo(size);
    assertThat(maxAsked.get()).isLessThanOrEqualTo(CHUNK);
    try (ArtifactContent content = store.open(ReadRequest.latest(p))) {
      assertThat(content.stream().transferTo(java.io.OutputStream.nullOutputStream()))
          .isEqualTo(size);
    }
  }

  @Test
  void concurrentCreatesOfOnePathHaveOneWinnerAndLeaveOnlyItsChunks() throws Exception {
    LogicalPath p = path("phase1/race.md");
    AtomicInteger writer = new AtomicInteger();
    List<Object> outcomes =
        AbstractJdbcManifestStoreTest.concurrently(
            () ->
                write(
                    doc(p),
                    ("writer " + writer.incrementAndGet()).getBytes(StandardCharsets.UTF_8)));

    assertThat(outcomes)
        .filteredOn(WriteResult.class::isInstance)
        .singleElement()
        .satisfies(
            o -> assertThat(((WriteResult) o).outcome()).isEqualTo(WriteResult.Outcome.CREATED));
    ArtifactInfo winner = store.stat(p).orElseThrow();
    assertThat(outcomes)
        .filteredOn(o -> !(o instanceof WriteResult))
        .hasSize(15)
        .allSatisfy(
            o ->
                assertThat(o)
                    .isInstanceOfSatisfying(
                        ImmutableException.class,
                        e -> {
                          assertThat(e.layer()).isEqualTo(ImmutableException.Layer.STORE);
                          assertThat(e.currentHash()).contains(winner.hash());
                        }));
    assertThat(count("SELECT COUNT(*) FROM blob_versions")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM blob_chunks")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM blob_uploads")).isZero();
  }

  @Test
  void concurrentIdenticalWritesCreateOnceAndAreOtherwiseUnchanged() throws Exception {
    LogicalPath p = path("phase1/same.md");
    byte[] bytes = "same bytes".getBytes(StandardCharsets.UTF_8);
    List<Object> outcomes = AbstractJdbcManifestStoreTest.concurrently(() -> write(doc(p), bytes));

    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(WriteResult.class));
    assertThat(outcomes)
        .extracting(o -> ((WriteResult) o).outcome())
        .containsOnly(WriteResult.Outcome.CREATED, WriteResult.Outcome.UNCHANGED)
        .filteredOn(WriteResult.Outcome.CREATED::equals)
        .hasSize(1);
    assertThat(count("SELECT COUNT(*) FROM blob_chunks")).isEqualTo(1);
  }

  @Test
  void refusedAndOversizedWritesLeaveNoChunks() throws Exception {
    LogicalPath p = path("phase1/a.md");
    write(doc(p), "one".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> write(doc(p), "two".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ImmutableException.class)
        .hasMessageContaining(p.toString());
    assertThatThrownBy(() -> write(doc(p).asCreateOnly(), "three".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(p.toString());

    JdbcArtifactStore small = new JdbcArtifactStore(db, tokens, clock, 2L * CHUNK + 5);
    LogicalPath big = path("phase1/too-big.bin");
    assertThatThrownBy(
            () -> small.write(doc(big), new ByteArrayInputStream(random(2 * CHUNK + 6, 1))))
        .isInstanceOf(PayloadTooLargeException.class)
        .hasMessageContaining(big.toString());

    assertThat(count("SELECT COUNT(*) FROM blob_versions")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM blob_chunks")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM blob_uploads")).isZero();
    assertThat(small.stat(big)).isEmpty();
  }

  @Test
  void abandonedUploadsArePurgedOnStartButFreshOnesStay() throws Exception {
    long old = EpochNanos.of(clock.instant().minus(Duration.ofDays(2)));
    long fresh = EpochNanos.of(clock.instant().minus(Duration.ofMinutes(5)));
    try (Connection c = rawConnection();
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO blob_uploads (blob_id, started_at) VALUES (900001, " + old + ")");
      st.execute("INSERT INTO blob_uploads (blob_id, started_at) VALUES (900002, " + fresh + ")");
    }
    try (Connection c = rawConnection();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO blob_chunks (blob_id, seq, bytes) VALUES (?, 0, ?)")) {
      for (long id : new long[] {900001, 900002}) {
        ps.setLong(1, id);
        ps.setBytes(2, new byte[] {1, 2, 3});
        ps.executeUpdate();
      }
    }

    new JdbcArtifactStore(db, tokens, clock);

    assertThat(count("SELECT COUNT(*) FROM blob_chunks WHERE blob_id = 900001")).isZero();
    assertThat(count("SELECT COUNT(*) FROM blob_uploads WHERE blob_id = 900001")).isZero();
    assertThat(count("SELECT COUNT(*) FROM blob_chunks WHERE blob_id = 900002")).isEqualTo(1);
  }

  @Test
  void aTamperedRangeIsCaughtWhenItsChunkHasTheWrongLength() throws Exception {
    LogicalPath p = path("phase1/t.bin");
    write(doc(p), random(CHUNK + 100, 5));
    try (Connection c = rawConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE blob_chunks SET bytes = ? WHERE seq = 1")) {
      ps.setBytes(1, new byte[10]);
      ps.executeUpdate();
    }
    assertThatThrownBy(() -> read(ReadRequest.latest(p).withRange(ByteRange.from(CHUNK))))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining(p.toString());
    assertThatThrownBy(() -> read(ReadRequest.latest(p))).isInstanceOf(IntegrityException.class);
  }

  @Test
  void readsSelectByGenerationAndExpectedHash() throws Exception {
    LogicalPath p = path(Stage.FINAL + "/g.md");
    ArtifactInfo first = write(doc(p), "one".getBytes(StandardCharsets.UTF_8)).info();
    ArtifactInfo second =
        write(
                doc(p).withToken(tokens.mint(first.version())),
                "two".getBytes(StandardCharsets.UTF_8))
            .info();

    assertThat(read(ReadRequest.of(p, 1))).isEqualTo("one".getBytes(StandardCharsets.UTF_8));
    assertThat(read(ReadRequest.latest(p).withHash(second.hash())))
        .isEqualTo("two".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> store.open(ReadRequest.latest(p).withHash(first.hash())))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(p.toString());
    assertThatThrownBy(() -> store.open(ReadRequest.of(p, 3)))
        .isInstanceOf(NotFoundException.class);
    assertThat(Page.all(page -> store.listVersions(run, page))).containsExactly(first, second);
  }

  @Test
  void listingPagesByPathWithLatestGenerationsPerStage() {
    for (int i = 0; i < 12; i++) {
      write(doc(path("phase1/f" + (char) ('a' + i) + ".md")), new byte[] {(byte) i});
      write(doc(path("phase2/g" + i + ".md")), new byte[] {(byte) i});
    }
    ArtifactInfo fa = store.stat(path("phase1/fa.md")).orElseThrow();
    write(doc(path("phase1/fa.md")).withToken(tokens.mint(fa.version())), new byte[] {99});

    Page<ArtifactInfo> first = store.list(run, Optional.of(Stage.phase(1)), PageRequest.first(5));
    assertThat(first.items()).hasSize(5);
    List<ArtifactInfo> all = Page.all(page -> store.list(run, Optional.of(Stage.phase(1)), page));
    assertThat(all).hasSize(12).extracting(i -> i.path().toString()).isSorted();
    assertThat(all.get(0).generation()).isEqualTo(2);
    assertThat(Page.all(page -> store.list(run, Optional.empty(), page))).hasSize(24);
  }

  @Test
  void aStagesPathRangeHoldsNoSiblingStageOrRun() {
    for (String stage : List.of("phase1", "phase10", "phase2", "final")) {
      write(doc(path(stage + "/-a.md")), new byte[] {1});
      write(doc(path(stage + "/zz.md")), new byte[] {2});
    }
    RunId next = RunId.of(run.date(), run.sequence() + 1);
    write(doc(LogicalPath.of(next, Stage.phase(1), "a.md")), new byte[] {3});

    assertThat(Page.all(page -> store.list(run, Optional.of(Stage.phase(1)), page)))
        .extracting(i -> i.path().toString())
        .containsExactly(run + "/phase1/-a.md", run + "/phase1/zz.md");
    assertThat(Page.all(page -> store.list(run, Optional.empty(), page))).hasSize(8);
    assertThat(Page.all(page -> store.listVersions(run, page))).hasSize(8);
  }

  @Test
  void healthSaysGuardedAndUp() {
    assertThat(store.health().up()).isTrue();
    assertThat(store.health().guarded()).isTrue();
    assertThat(store.health().backend()).isEqualTo("jdbc");
  }
}
