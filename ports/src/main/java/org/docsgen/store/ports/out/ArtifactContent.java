package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An open read: the version read, the byte range delivered (null = whole content), and the stream.
 * For a whole-content read the stream verifies the SHA-256 as it is consumed and throws {@link
 * org.docsgen.store.ports.error.IntegrityException} (wrapped in nothing) at end of stream when the
 * bytes do not match. The caller closes it.
 */
public record ArtifactContent(
    org.docsgen.store.domain.artifact.ArtifactInfo info, ByteRange range, InputStream stream)
    implements AutoCloseable {
  public ArtifactContent {
    requireNonNull(info, "info is null");
    requireNonNull(stream, "stream is null");
  }

  /** Bytes this read delivers. */
  public long length() {
    return range == null ? info.size() : range.length();
  }

  @Override
  public void close() {
    try {
      stream.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
