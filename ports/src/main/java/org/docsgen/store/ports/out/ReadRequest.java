package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * What to read: a path, a generation ({@code 0} = latest), optionally the hash the caller expects
 * that generation to have (the manifest's answer; a store holding several candidates for one
 * generation, as an S3 store may after a non-atomic race, reads exactly that one), and optionally a
 * byte range ({@code null} = whole content).
 */
public record ReadRequest(
    LogicalPath path, int generation, ContentHash expectedHash, ByteRange range) {
  public static final int LATEST = 0;

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
    return new ReadRequest(path, generation, hash, range);
  }

  public ReadRequest withRange(ByteRange newRange) {
    return new ReadRequest(path, generation, expectedHash, newRange);
  }

  public boolean wholeContent() {
    return range == null;
  }
}
