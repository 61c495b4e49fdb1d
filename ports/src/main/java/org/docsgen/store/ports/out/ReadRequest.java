package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * What to read: a path, a generation ({@code 0} = latest), optionally the hash the caller expects
 * that generation to have (the manifest's answer; a store holding several candidates for one
 * generation, as an S3 store may after a non-atomic race, reads exactly that one), optionally a
 * byte range ({@code null} = whole content), and whether it is only a {@linkplain #asProbe()
 * probe}.
 */
public record ReadRequest(
    LogicalPath path, int generation, ContentHash expectedHash, ByteRange range, boolean probe) {
  public static final int LATEST = 0;

  public ReadRequest(LogicalPath path, int generation, ContentHash expectedHash, ByteRange range) {
    this(path, generation, expectedHash, range, false);
  }

  public ReadRequest {
    requireNonNull(path, "path is null");
    if (generation < 0) {
      throw new IllegalArgumentException("generation must be >= 0 (0 = latest)");
    }
  }

  public static ReadRequest latest(LogicalPath path) {
    return new ReadRequest(path, LATEST, null, null);
  }

  public static ReadRequest of(LogicalPath path, int generation) {
    return new ReadRequest(path, generation, null, null);
  }

  public ReadRequest withHash(ContentHash hash) {
    return new ReadRequest(path, generation, hash, range, probe);
  }

  public ReadRequest withRange(ByteRange newRange) {
    return new ReadRequest(path, generation, expectedHash, newRange, probe);
  }

  /**
   * This read only probes that the bytes are there and long enough ({@code fsck} without {@code
   * --deep} reads one byte): a store may serve a probe's range without its per-read integrity check
   * (the filesystem store would otherwise hash the whole object first). The bytes of a probe never
   * leave the process.
   */
  public ReadRequest asProbe() {
    return new ReadRequest(path, generation, expectedHash, range, true);
  }

  public boolean wholeContent() {
    return range == null;
  }
}
