package org.docsgen.store.ports.stream;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.docsgen.store.domain.artifact.ContentHash;

/**
 * Computes the SHA-256 and byte count of everything read through it, in the same pass as the copy.
 * Optionally refuses to read more than {@code maxBytes}.
 */
public final class DigestingInputStream extends PassThroughInputStream {
  private final MessageDigest digest = ContentHash.newDigest();
  private final long maxBytes;

  public DigestingInputStream(InputStream in) {
    this(in, Long.MAX_VALUE);
  }

  public DigestingInputStream(InputStream in, long maxBytes) {
    super(in, "a digesting stream must read every byte");
    this.maxBytes = maxBytes;
  }

  @Override
  protected void onBytes(byte[] buffer, int offset, int length) throws IOException {
    digest.update(buffer, offset, length);
    if (count() > maxBytes) {
      throw new SizeLimitExceededIOException(maxBytes);
    }
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
