package org.docsgen.store.ports.out;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.NotFoundException;

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
 * Failures are port exceptions only: {@code NotFoundException}, {@code ImmutableException}, {@code
 * AlreadyExistsException}, {@code IntegrityException}, {@code BackendUnavailableException}.
 */
public interface ArtifactStore {

  /**
   * Writes {@code content} (read to its end, not closed) under the guard. Returns the version left
   * in place and whether it was created, unchanged or overwritten.
   *
   * @throws org.docsgen.store.ports.error.AlreadyExistsException create-only write, path exists
   * @throws org.docsgen.store.ports.error.ImmutableException overwrite refused by the guard
   * @throws org.docsgen.store.ports.error.PayloadTooLargeException content over the store's limit
   */
  WriteResult write(WriteRequest request, InputStream content);

  /**
   * Opens a version for reading (latest when {@code generation} is 0), whole or a byte range.
   *
   * @throws NotFoundException no such path or generation (or no candidate with the expected hash)
   * @throws org.docsgen.store.ports.error.RangeNotSatisfiableException range starts past the end
   */
  ArtifactContent open(ReadRequest request);

  /** The latest generation of {@code path}, or empty when the path was never written. */
  Optional<ArtifactInfo> stat(LogicalPath path);

  /** One generation of {@code path}, or empty when it does not exist. */
  Optional<ArtifactInfo> stat(LogicalPath path, int generation);

  /**
   * The latest generation of every path of a run (of one stage when {@code stage} is present),
   * sorted by path, one page at a time.
   */
  Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page);

  /** Every generation of every path of a run, sorted by path then generation (for fsck). */
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
   */
  OrphanRemoval deleteOrphan(ArtifactInfo orphan, Instant createdBefore);

  /** Whether the backend answers and whether its guard is in force. Never throws. */
  StoreHealth health();

  // The seed's conceptual operations, as thin defaults over the streaming primitives.

  /**
   * Writes small UTF-8 text ({@code text/markdown; charset=utf-8} for {@code .md}, else
   * text/plain).
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

  /** Writes small binary content. */
  default ArtifactInfo writeBinary(
      LogicalPath path, ArtifactType type, byte[] bytes, String mediaType, String createdBy) {
    return write(
            WriteRequest.create(path, type, mediaType, createdBy), new ByteArrayInputStream(bytes))
        .info();
  }

  /** Reads the latest generation as UTF-8 text (verified). */
  default String readText(LogicalPath path) {
    return new String(readBinary(path), StandardCharsets.UTF_8);
  }

  /** Reads the latest generation into memory (verified); for small artifacts only. */
  default byte[] readBinary(LogicalPath path) {
    try (ArtifactContent content = open(ReadRequest.latest(path))) {
      return content.stream().readAllBytes();
    } catch (IOException e) {
      throw new BackendUnavailableException("artifacts", "reading " + path + " failed", e);
    }
  }

  /** Every latest artifact of one stage of a run, sorted by path. */
  default List<ArtifactInfo> list(RunId runId, Stage stage) {
    return Page.all(page -> list(runId, Optional.of(stage), page));
  }

  /**
   * Builds the deterministic bundle zip of {@code corePaths} (latest generations, entries named by
   * file name) and stores it at {@code bundlePath} as {@code BUNDLE}. The zip is staged in a
   * temporary file, never held in memory.
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
    Path staging = null;
    try {
      staging = Files.createTempFile("docsgen-bundle-", ".zip");
      try (OutputStream out = Files.newOutputStream(staging)) {
        BundleZipWriter.write(entries, out);
      }
      try (InputStream in = Files.newInputStream(staging)) {
        WriteRequest request =
            WriteRequest.create(bundlePath, ArtifactType.BUNDLE, MediaTypes.ZIP, "docsgen-bundler");
        return write(request, in).info();
      }
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "artifacts", "staging bundle " + bundlePath + " failed", e);
    } finally {
      if (staging != null) {
        try {
          Files.deleteIfExists(staging);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }
}
