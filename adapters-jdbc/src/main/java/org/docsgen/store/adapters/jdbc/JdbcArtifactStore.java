package org.docsgen.store.adapters.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.guard.StoreGuard;
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
import org.docsgen.store.ports.paging.PageCursorCodec;
import org.docsgen.store.ports.stream.DigestingInputStream;
import org.docsgen.store.ports.stream.VerifyingInputStream;

/**
 * {@link ArtifactStore} keeping the bytes in the manifest's database, for small all-in-one
 * deployments. A write streams the content into 1 MiB rows of {@code blob_chunks} (one short
 * transaction each, SHA-256 computed in the same pass), then in one short transaction lets {@link
 * StoreGuard} decide against the current version and inserts the version row; the primary key
 * (path, generation) makes that insert the atomic create, and the row is what makes the bytes
 * visible. A write that ends otherwise (unchanged, refused, failed) deletes its chunks; chunks of a
 * crashed write are purged on a later start. Reads fetch one chunk at a time; whole reads verify
 * the hash.
 *
 * <p>Artifacts are limited to {@value #MAX_BYTES} bytes (1 GiB): every byte in the database also
 * passes through its write-ahead log and every backup, and a database that holds gigabyte files is
 * the wrong tool; larger content belongs in the filesystem or S3 store.
 */
final class JdbcArtifactStore implements ArtifactStore, AutoCloseable {
  static final int CHUNK_SIZE = 1 << 20;
  static final long MAX_BYTES = 1L << 30;
  static final Duration STALE_UPLOAD = Duration.ofHours(24);
  static final String BACKEND = "jdbc";
  private static final String LISTING_LATEST = "blobs";
  private static final String LISTING_VERSIONS = "blob-versions";

  private final JdbcDatabase db;
  private final StoreGuard guard;
  private final Clock clock;
  private final long maxBytes;

  JdbcArtifactStore(JdbcDatabase db, OverwriteTokens tokens, Clock clock) {
    this(db, tokens, clock, MAX_BYTES);
  }

  JdbcArtifactStore(JdbcDatabase db, OverwriteTokens tokens, Clock clock, long maxBytes) {
    this.db = requireNonNull(db, "db is null");
    this.guard = new StoreGuard(requireNonNull(tokens, "tokens is null"));
    this.clock = requireNonNull(clock, "clock is null");
    this.maxBytes = maxBytes;
    purgeStaleUploads();
  }

  @Override
  public WriteResult write(WriteRequest request, InputStream content) {
    requireNonNull(request, "request is null");
    requireNonNull(content, "content is null");
    LogicalPath path = request.path();
    long blobId = reserveBlobId(path);
    boolean committed = false;
    try {
      DigestingInputStream digesting = new DigestingInputStream(content, maxBytes);
      stage(path, blobId, digesting);
      WriteResult result = commit(request, blobId, digesting.hash(), digesting.count());
      committed = result.outcome() != WriteResult.Outcome.UNCHANGED;
      return result;
    } finally {
      if (!committed) {
        discard(blobId);
      }
    }
  }

  private long reserveBlobId(LogicalPath path) {
    long startedAt = EpochNanos.of(clock.instant());
    return db.write(
        "starting the upload of " + path,
        h -> {
          long id = h.attach(IdAllocationDao.class).reserve("blobs", 1);
          h.attach(BlobDao.class).startUpload(id, startedAt);
          return id;
        });
  }

  /** Copies the content into chunks; every chunk but the last is full. */
  private void stage(LogicalPath path, long blobId, DigestingInputStream in) {
    byte[] buffer = new byte[CHUNK_SIZE];
    try {
      for (int seq = 0; ; seq++) {
        int n = in.readNBytes(buffer, 0, CHUNK_SIZE);
        if (n == 0) {
          return;
        }
        byte[] bytes = n == CHUNK_SIZE ? buffer : Arrays.copyOf(buffer, n);
        int chunk = seq;
        db.write(
            "storing chunk " + seq + " of " + path,
            h -> {
              h.attach(BlobDao.class).insertChunk(blobId, chunk, bytes);
              return null;
            });
        if (n < CHUNK_SIZE) {
          return;
        }
      }
    } catch (DigestingInputStream.SizeLimitExceededIOException e) {
      throw new PayloadTooLargeException(path.toString(), e.limit());
    } catch (IOException e) {
      // only the caller's stream is read here (the database's failures arrive as port exceptions)
      throw SqlFailures.unreadableContent("writing " + path, e);
    }
  }

  /** The guard's decision and the version row, in one short transaction. */
  private WriteResult commit(WriteRequest request, long blobId, ContentHash hash, long size) {
    LogicalPath path = request.path();
    return db.write(
        "writing " + path,
        h -> {
          BlobDao blobs = h.attach(BlobDao.class);
          Optional<ArtifactInfo> current =
              blobs.findLatest(path.toString()).map(BlobDao.BlobVersion::info);
          StoreGuard.Decision decision = guard.decide(request, current, hash);
          if (decision instanceof StoreGuard.Decision.Unchanged unchanged) {
            return new WriteResult(unchanged.existing(), WriteResult.Outcome.UNCHANGED);
          }
          int generation = ((StoreGuard.Decision.Create) decision).generation();
          ArtifactInfo info =
              new ArtifactInfo(
                  path,
                  request.type(),
                  hash,
                  size,
                  request.mediaType(),
                  request.createdBy(),
                  clock.instant(),
                  generation);
          int inserted =
              blobs.insertVersion(
                  path.toString(),
                  generation,
                  blobId,
                  path.runId().toString(),
                  path.stage().toString(),
                  info.type().name(),
                  hash.hex(),
                  size,
                  info.mediaType(),
                  info.createdBy(),
                  EpochNanos.of(info.createdAt()),
                  CHUNK_SIZE);
          if (inserted == 0) {
            ArtifactInfo winner = blobs.find(path.toString(), generation).orElseThrow().info();
            if (!winner.hash().equals(hash)) {
              throw StoreGuard.lostRace(winner);
            }
            return new WriteResult(winner, WriteResult.Outcome.UNCHANGED);
          }
          blobs.raiseHead(path.toString(), generation);
          blobs.endUpload(blobId);
          return new WriteResult(
              info,
              generation == 1 ? WriteResult.Outcome.CREATED : WriteResult.Outcome.OVERWRITTEN);
        });
  }

  private void discard(long blobId) {
    try {
      db.write(
          "discarding upload " + blobId,
          h -> {
            BlobDao blobs = h.attach(BlobDao.class);
            blobs.deleteChunks(blobId);
            blobs.endUpload(blobId);
            return null;
          });
    } catch (RuntimeException e) {
      // left for purgeStaleUploads: the chunks belong to no version, so nobody reads them
    }
  }

  private void purgeStaleUploads() {
    long cutoff = EpochNanos.of(clock.instant().minus(STALE_UPLOAD));
    try {
      db.write(
          "purging abandoned uploads",
          h -> {
            BlobDao blobs = h.attach(BlobDao.class);
            blobs.deleteStaleChunks(cutoff);
            return blobs.deleteStaleUploads(cutoff);
          });
    } catch (RuntimeException e) {
      // housekeeping only; the next start tries again
    }
  }

  @Override
  public ArtifactContent open(ReadRequest request) {
    requireNonNull(request, "request is null");
    LogicalPath path = request.path();
    BlobDao.BlobVersion version =
        db.read(
                "reading " + path,
                h -> {
                  BlobDao blobs = h.attach(BlobDao.class);
                  return request.generation() == ReadRequest.LATEST
                      ? blobs.findLatest(path.toString())
                      : blobs.find(path.toString(), request.generation());
                })
            .filter(
                v ->
                    request.expectedHash() == null
                        || v.info().hash().equals(request.expectedHash()))
            .orElseThrow(() -> notFound(request));
    ArtifactInfo info = version.info();
    if (request.wholeContent()) {
      InputStream chunks = chunks(version, 0, info.size());
      return new ArtifactContent(info, null, new VerifyingInputStream(chunks, info));
    }
    ByteRange range = request.range().clip(info.size());
    return new ArtifactContent(info, range, chunks(version, range.first(), range.length()));
  }

  private InputStream chunks(BlobDao.BlobVersion version, long first, long length) {
    LogicalPath path = version.info().path();
    return new ChunkInputStream(
        path,
        seq ->
            db.read(
                    "reading chunk " + seq + " of " + path,
                    h -> h.attach(BlobDao.class).chunk(version.blobId(), seq))
                .orElse(null),
        version.chunkSize(),
        version.info().size(),
        first,
        length);
  }

  private static NotFoundException notFound(ReadRequest request) {
    String which =
        request.generation() == ReadRequest.LATEST ? "" : " generation " + request.generation();
    String hash = request.expectedHash() == null ? "" : " with hash " + request.expectedHash();
    return new NotFoundException("artifact " + request.path() + which + hash + " not found");
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path) {
    requireNonNull(path, "path is null");
    return db.read("reading " + path, h -> h.attach(BlobDao.class).findLatest(path.toString()))
        .map(BlobDao.BlobVersion::info);
  }

  @Override
  public Optional<ArtifactInfo> stat(LogicalPath path, int generation) {
    requireNonNull(path, "path is null");
    return db.read(
            "reading " + path + " generation " + generation,
            h -> h.attach(BlobDao.class).find(path.toString(), generation))
        .map(BlobDao.BlobVersion::info);
  }

  @Override
  public Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(page, "page is null");
    PathRange range = PathRange.of(runId, stage.orElse(null));
    String afterPath =
        range.after(
            page.cursor() == null
                ? null
                : PageCursors.decode(LISTING_LATEST, page.cursor(), 1).get(0));
    int fetch = page.limit() + 1;
    List<ArtifactInfo> rows =
        db
            .read(
                "listing artifacts of run " + runId,
                h -> h.attach(BlobDao.class).latest(afterPath, range.end(), fetch))
            .stream()
            .map(BlobDao.BlobVersion::info)
            .toList();
    return PageCursors.page(
        rows, page.limit(), info -> PageCursors.encode(LISTING_LATEST, info.path()));
  }

  @Override
  public Page<ArtifactInfo> listVersions(RunId runId, PageRequest page) {
    requireNonNull(runId, "runId is null");
    requireNonNull(page, "page is null");
    PathRange range = PathRange.of(runId, null);
    String afterPath = null;
    int afterGeneration = 0;
    if (page.cursor() != null) {
      PageCursorCodec.Fields key = PageCursors.decode(LISTING_VERSIONS, page.cursor(), 2);
      afterPath = key.get(0);
      afterGeneration = key.intAt(1);
    }
    String path = range.after(afterPath);
    int generation = afterGeneration;
    List<ArtifactInfo> rows =
        db
            .read(
                "listing versions of run " + runId,
                h ->
                    h.attach(BlobDao.class)
                        .versions(path, generation, range.end(), page.limit() + 1))
            .stream()
            .map(BlobDao.BlobVersion::info)
            .toList();
    return PageCursors.page(
        rows,
        page.limit(),
        info -> PageCursors.encode(LISTING_VERSIONS, info.path(), info.generation()));
  }

  /**
   * One transaction: checks the version row, moves the path's head down (only while it still names
   * this generation, so a version committed above it keeps it), then deletes the row and its
   * chunks.
   */
  @Override
  public OrphanRemoval deleteOrphan(ArtifactInfo orphan, Instant createdBefore) {
    requireNonNull(orphan, "orphan is null");
    requireNonNull(createdBefore, "createdBefore is null");
    String path = orphan.path().toString();
    int generation = orphan.generation();
    return db.write(
        "removing orphan " + path + " generation " + generation,
        h -> {
          BlobDao blobs = h.attach(BlobDao.class);
          Optional<BlobDao.BlobVersion> stored = blobs.find(path, generation);
          if (stored.isEmpty()) {
            return OrphanRemoval.ABSENT;
          }
          Optional<OrphanRemoval> kept =
              OrphanRemoval.keptFor(stored.get().info(), orphan, createdBefore);
          if (kept.isPresent()) {
            return kept.get();
          }
          int moved =
              generation == 1
                  ? blobs.dropHead(path, generation)
                  : blobs.lowerHead(path, generation, generation - 1);
          if (moved == 0) {
            return OrphanRemoval.NOT_LATEST;
          }
          blobs.deleteVersion(path, generation);
          blobs.deleteChunks(stored.get().blobId());
          return OrphanRemoval.REMOVED;
        });
  }

  @Override
  public StoreHealth health() {
    String problem = db.problem();
    return new StoreHealth(
        BACKEND,
        problem == null,
        true,
        problem == null ? db.backend() + " database answers" : problem);
  }

  @Override
  public void close() {
    db.close();
  }
}
