package org.docsgen.store.ports.stream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.docsgen.store.domain.artifact.ContentHash;

/**
 * Computes the SHA-256 and byte count of everything read through it, in the same pass as the copy.
 * Optionally refuses to read more than {@code maxBytes}.
 */
public final class DigestingInputStream extends FilterInputStream {
  private final MessageDigest digest = ContentHash.newDigest();
  private final long maxBytes;
  private long count;

  public DigestingInputStream(InputStream in) {
    this(in, Long.MAX_VALUE);
  }

  public DigestingInputStream(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      digest.update((byte) b);
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      digest.update(buffer, offset, n);
      advance(n);
    }
    return n;
  }

  @Override
  public long skip(long n) {
    throw new UnsupportedOperationException("a digesting stream must read every byte");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void advance(int n) throws IOException {
    count += n;
    if (count > maxBytes) {
      throw new SizeLimitExceededIOException(maxBytes);
    }
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /** The hash of the bytes read so far; call once, at end of stream. */
  public ContentHash hash() {
    return ContentHash.ofDigest(digest.digest());
  }

  /** Thrown from {@code read} when the content exceeds the limit. */
  public static final class SizeLimitExceededIOException extends IOException {
    private final long limit;

    public SizeLimitExceededIOException(long limit) {
      super("content is larger than the maximum of " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }
}
