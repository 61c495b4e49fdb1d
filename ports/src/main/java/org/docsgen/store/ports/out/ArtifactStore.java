package org.docsgen.store.ports.out;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.bundle.BundleZipWriter;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.RangeNotSatisfiableException;

/**
 * Where artifact bytes live (filesystem, S3, a database). The contract every backend keeps —
 * checked by {@code ArtifactStoreContract}:
 *
 * <ul>
 *   <li>Writes stream through bounded buffers, hash SHA-256 in the same pass, and are atomic: a
 *       reader never sees a partial artifact and a crash leaves none behind.
 *   <li>The store guard ({@link org.docsgen.store.ports.guard.StoreGuard}) decides every write:
 *       same bytes again → {@code UNCHANGED}; different bytes → refused unless the request carries
 *       a valid token for this path expecting the current version, which creates generation N+1.
 *       Each generation's bytes have a location of their own; nothing is overwritten in place.
 *   <li>Concurrent creates of one generation: exactly one wins where the backend's exclusive create
 *       is atomic (filesystem, database, AWS S3); on every backend no acknowledged bytes are lost
 *       or altered.
 *   <li>Whole-content reads verify the hash as they stream ({@link
 *       org.docsgen.store.ports.error.IntegrityException} at end of stream on mismatch).
 * </ul>
 *
 * <p>Failures are port exceptions only ({@link org.docsgen.store.ports.error.StoreException} and
 * its subclasses; no vendor exception crosses this port), and each failure is the <em>same</em>
 * exception on every backend, so the HTTP status and the CLI exit code never depend on where the
 * bytes live:
 *
 * <ul>
 *   <li>{@link NotFoundException} (HTTP 404, CLI exit 2) — no such path, generation, or version
 *       with the expected hash;
 *   <li>{@link ImmutableException} of the {@code STORE} layer (409, exit 1) — the guard refused an
 *       overwrite; {@link AlreadyExistsException} (412, exit 1) — a create-only write found the
 *       path;
 *   <li>{@link InvalidInputException} (400, exit 2) — input that can never succeed as given: field
 *       {@code body} when the caller's content stream fails (it is the client's body that broke,
 *       not the backend), field {@code cursor} for a cursor this listing did not issue; its
 *       subclasses {@link PayloadTooLargeException} (413) for content over the store's limit and
 *       {@link RangeNotSatisfiableException} (416) for a range past the end;
 *   <li>{@link IntegrityException} (502, exit 4) — stored bytes or metadata that do not match their
 *       record;
 *   <li>{@link BackendUnavailableException} (503, exit 3) — the backend itself failed (unreachable,
 *       full, read-only, permission denied); its message is safe for clients, its internal detail
 *       is not.
 * </ul>
 *
 * A port exception thrown by the caller's content stream itself reaches the caller unchanged.
 */
public interface ArtifactStore {

  /**
   * Writes {@code content} (read to its end, not closed) under the guard, hashing it in the same
   * pass. Returns the version left in place and its outcome: {@code CREATED} (generation 1 of a new
   * path), {@code OVERWRITTEN} (generation N+1, with a valid token for the current version N; N
   * stays readable) or {@code UNCHANGED} (the latest generation already holds these bytes: the
   * existing version is returned as it was, {@code createdAt} included, with or without a token).
   * {@code createdAt} of a new version is the store's clock, never the caller's.
   *
   * <p>Atomic: a reader sees the whole new version or none of it, and a write that fails for any
   * reason — refused, too large, a broken body, a backend failure — leaves no version, no partial
   * bytes and no folder, object or row a reader or {@link #listVersions} could see; the path stays
   * as it was and a token offered with it is not used up. Idempotent: repeating a successful write
   * is {@code UNCHANGED}. Concurrent writes of one path: where the backend's exclusive create is
   * atomic exactly one creates each generation and the others are refused; on every backend no
   * acknowledged bytes are ever lost or altered.
   *
   * @throws AlreadyExistsException a create-only write and the path exists (even with the same
   *     bytes)
   * @throws ImmutableException {@code STORE} layer: different bytes without a token, or with a
   *     token that is forged, expired, for another path or not for the current version (stale or
   *     already used), or a concurrent writer took the generation first; names the path and the
   *     current hash
   * @throws PayloadTooLargeException the content passes the store's maximum (read only that far)
   * @throws InvalidInputException field {@code body}: reading {@code content} threw an {@link
   *     java.io.IOException} (the caller's source broke, e.g. a client that went away); names the
   *     path. A {@link org.docsgen.store.ports.error.StoreException} thrown by {@code content}
   *     itself is rethrown as it is
   * @throws BackendUnavailableException the backend failed; nothing was written
   */
  WriteResult write(WriteRequest request, InputStream content);

  /**
   * Opens a version for reading (latest when {@code generation} is 0), whole or a byte range. The
   * caller closes the returned content. A whole read verifies the SHA-256 as it streams and throws
   * {@link IntegrityException} from the stream at its end on a mismatch. A byte range is clipped at
   * the end of the content ({@code from(n)}, or an end past the last byte); whether it is checked
   * is the adapter's: the filesystem store checks every range (a CRC32C per block of an object it
   * has hashed whole once, {@code VerifiedReads}), the S3 and JDBC stores serve ranges unchecked
   * (docs/decisions.md). Reading changes nothing.
   *
   * @throws NotFoundException no such path or generation, or the version does not hold the
   *     request's expected hash; names the path
   * @throws RangeNotSatisfiableException the range starts at or past the end (so every range of an
   *     empty artifact); carries the size
   * @throws IntegrityException the stored bytes or their record are damaged in a way seen before
   *     streaming (e.g. a size that does not match); names the path
   * @throws BackendUnavailableException the backend failed, here or later from the stream
   */
  ArtifactContent open(ReadRequest request);

  /**
   * The latest generation of {@code path}, or empty when the path was never written (or its only
   * generations were removed as orphans). Reads nothing but the version's record.
   *
   * @throws IntegrityException the version's record is damaged or not what the layout expects
   * @throws BackendUnavailableException the backend failed
   */
  Optional<ArtifactInfo> stat(LogicalPath path);

  /**
   * One generation of {@code path}, or empty when it does not exist.
   *
   * @throws IntegrityException the version's record is damaged or not what the layout expects
   * @throws BackendUnavailableException the backend failed
   */
  Optional<ArtifactInfo> stat(LogicalPath path, int generation);

  /**
   * The latest generation of every path of a run (of one stage when {@code stage} is present),
   * sorted by path, one page at a time: at most {@code page.limit()} items, and a next cursor
   * unless this is the last page. Following the cursors from the first page yields every path
   * exactly once, without gaps or duplicates.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor not issued by this listing (of
   *     this run and stage)
   * @throws BackendUnavailableException the backend failed
   */
  Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page);

  /**
   * Every generation of every path of a run, sorted by path then generation (for fsck), paged as
   * {@link #list}.
   *
   * @throws InvalidInputException field {@code cursor}: a cursor not issued by this listing
   * @throws BackendUnavailableException the backend failed
   */
  Page<ArtifactInfo> listVersions(RunId runId, PageRequest page);

  /**
   * Removes one <em>orphan</em>: a version that no manifest index entry names, so it was never
   * acknowledged (a crash between the store write and the index write, a refused late upload). Only
   * {@code fsck --repair} calls this, and only for versions it has just found unindexed: a store
   * cannot see the manifest, so keeping indexed versions is the caller's duty. What the store
   * itself guarantees, checked against its own record of the version:
   *
   * <ul>
   *   <li>It removes exactly {@code orphan.path()} generation {@code orphan.generation()}, and only
   *       while that generation holds {@code orphan.hash()} ({@link OrphanRemoval#OTHER_BYTES}
   *       otherwise); the other fields of {@code orphan} are ignored. Nothing else is touched.
   *   <li>It never removes a version whose own {@code createdAt} (the instant the store stamped
   *       when it wrote the version, not any caller's value) is at or after {@code createdBefore}
   *       ({@link OrphanRemoval#TOO_YOUNG}): the grace window that lets a write in flight reach the
   *       index.
   *   <li>It removes only the path's latest generation ({@link OrphanRemoval#NOT_LATEST}
   *       otherwise), so generations stay contiguous from 1 and the next write of the path creates
   *       the removed generation number again.
   *   <li>An absent generation is {@link OrphanRemoval#ABSENT}, not an error (removal is
   *       idempotent). A removal is atomic for readers: they see the whole version or none of it; a
   *       crash part-way leaves at most unreachable leftovers the store clears as it would a
   *       crashed write's.
   * </ul>
   *
   * Backends differ only in where leftovers may linger (empty directories on the filesystem,
   * unclaimed content objects of other writers on S3), never in what readers see.
   *
   * @throws BackendUnavailableException the backend failed; what was removed stays removed, what
   *     was not is still whole
   */
  OrphanRemoval deleteOrphan(ArtifactInfo orphan, Instant createdBefore);

  /**
   * Whether the backend answers and whether its guard is in force, with a reason when it does not.
   * Never throws: a failing backend is a health that is not up. A caller's broken content stream
   * never makes it report down.
   */
  StoreHealth health();

  // The seed's conceptual operations, as thin defaults over the streaming primitives.

  /**
   * Writes small UTF-8 text ({@code text/markdown; charset=utf-8} for {@code .md}, else text/plain)
   * as {@link #write} does, without a token: returns the version left in place and throws what
   * {@link #write} throws.
   */
  default ArtifactInfo writeText(
      LogicalPath path, ArtifactType type, String text, String createdBy) {
    String mediaType =
        path.fileName().endsWith(".md")
            ? "text/markdown; charset=utf-8"
            : "text/plain; charset=utf-8";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return write(
            WriteRequest.create(path, type, mediaType, createdBy), new ByteArrayInputStream(bytes))
        .info();
  }

  /** Writes small binary content as {@link #write} does, without a token. */
  default ArtifactInfo writeBinary(
      LogicalPath path, ArtifactType type, byte[] bytes, String mediaType, String createdBy) {
    return write(
            WriteRequest.create(path, type, mediaType, createdBy), new ByteArrayInputStream(bytes))
        .info();
  }

  /**
   * Reads the latest generation as UTF-8 text, verified as {@link #readBinary}.
   *
   * @throws NotFoundException the path was never written
   * @throws IntegrityException the bytes do not match their recorded hash
   */
  default String readText(LogicalPath path) {
    return new String(readBinary(path), StandardCharsets.UTF_8);
  }

  /**
   * Reads the latest generation into memory, verified against its hash; for small artifacts only.
   *
   * @throws NotFoundException the path was never written
   * @throws IntegrityException the bytes do not match their recorded hash
   * @throws BackendUnavailableException the backend failed
   */
  default byte[] readBinary(LogicalPath path) {
    try (ArtifactContent content = open(ReadRequest.latest(path))) {
      return content.stream().readAllBytes();
    } catch (IOException e) {
      throw new BackendUnavailableException("artifacts", "reading " + path + " failed", e);
    }
  }

  /** Every latest artifact of one stage of a run, sorted by path (all pages of {@link #list}). */
  default List<ArtifactInfo> list(RunId runId, Stage stage) {
    return Page.all(page -> list(runId, Optional.of(stage), page));
  }

  /**
   * Builds the deterministic bundle zip of {@code corePaths} (latest generations, entries named by
   * file name) and stores it at {@code bundlePath} as {@code BUNDLE}. The zip is staged in a
   * temporary file, never held in memory. Its bytes depend only on the entries' names and bytes
   * (sorted entries, fixed timestamps and modes, whatever the order of {@code corePaths}, the clock
   * or the default time zone), so building it again is {@code UNCHANGED} and returns the stored
   * version; it is written as {@link #write} writes, without a token, so a different zip at the
   * same path is refused and nothing is stored when building fails.
   *
   * @throws IllegalArgumentException a core path belongs to another run (a caller's bug)
   * @throws NotFoundException a core path does not exist; names it
   * @throws IntegrityException a core file's bytes do not match their recorded hash
   * @throws ImmutableException {@code STORE} layer: a different zip is already stored at {@code
   *     bundlePath}
   * @throws BackendUnavailableException the backend, or the local staging file, failed
   */
  default ArtifactInfo bundleZip(RunId runId, LogicalPath bundlePath, List<LogicalPath> corePaths) {
    List<BundleZipWriter.Entry> entries = new ArrayList<>();
    for (LogicalPath core : corePaths) {
      if (!core.runId().equals(runId)) {
        throw new IllegalArgumentException(core + " is not an artifact of run " + runId);
      }
      entries.add(
          new BundleZipWriter.Entry(
              core.fileName(), () -> open(ReadRequest.latest(core)).stream()));
    }
    WriteRequest request =
        WriteRequest.create(bundlePath, ArtifactType.BUNDLE, MediaTypes.ZIP, "docsgen-bundler");
    try {
      return BundleZipWriter.stage(
          entries, (written, zip) -> write(request, new StagedZip(zip, bundlePath)).info());
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "artifacts", "staging bundle " + bundlePath + " failed", e);
    }
  }

  /**
   * The staged zip as the store reads it: a failure to read the local staging file is the server's,
   * not a client's broken body, so it reaches the caller as {@link BackendUnavailableException} (a
   * port exception from the content stream passes through every store unchanged) instead of the
   * {@code InvalidInputException} a broken upload gets.
   */
  final class StagedZip extends FilterInputStream {
    private final LogicalPath bundlePath;

    StagedZip(InputStream zip, LogicalPath bundlePath) {
      super(zip);
      this.bundlePath = bundlePath;
    }

    @Override
    public int read() {
      try {
        return super.read();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private BackendUnavailableException failed(IOException e) {
      return new BackendUnavailableException(
          "artifacts", "reading the staged bundle " + bundlePath + " failed", e);
    }
  }
}
