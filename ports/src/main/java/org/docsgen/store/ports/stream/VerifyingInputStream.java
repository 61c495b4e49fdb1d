package org.docsgen.store.ports.stream;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.error.IntegrityException;

/**
 * Hashes a whole-content read as it is consumed and, at end of stream, throws {@link
 * IntegrityException} if the bytes (or their count) differ from what {@code info} records. A reader
 * therefore never takes tampered or rotted content for data.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final ArtifactInfo info;
  private final MessageDigest digest = ContentHash.newDigest();
  private long count;
  private boolean checked;

  public VerifyingInputStream(InputStream in, ArtifactInfo info) {
    super(in);
    this.info = requireNonNull(info, "info is null");
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      digest.update((byte) b);
      count++;
    } else {
      verify();
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      digest.update(buffer, offset, n);
      count += n;
    } else if (n < 0) {
      verify();
    }
    return n;
  }

  @Override
  public long skip(long n) {
    throw new UnsupportedOperationException("a verifying stream must read every byte");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() {
    if (checked) {
      return;
    }
    checked = true;
    ContentHash actual = ContentHash.ofDigest(digest.digest());
    if (count != info.size() || !actual.equals(info.hash())) {
      throw IntegrityException.mismatch(info.path(), info.generation(), info.hash(), actual);
    }
  }
}
