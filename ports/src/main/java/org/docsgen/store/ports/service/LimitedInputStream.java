package org.docsgen.store.ports.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.PayloadTooLargeException;

/**
 * Refuses to deliver more than {@code maxBytes}: the read that would cross the limit throws {@link
 * PayloadTooLargeException} (unchecked, so it reaches the caller through any store), and {@link
 * #exceeded()} remembers it in case a store wraps it.
 */
final class LimitedInputStream extends FilterInputStream {
  private final LogicalPath path;
  private final long maxBytes;
  private long count;
  private boolean exceeded;

  LimitedInputStream(InputStream in, LogicalPath path, long maxBytes) {
    super(in);
    this.path = path;
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  @Override
  public long skip(long n) {
    throw new UnsupportedOperationException("a limited stream must count every byte");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // the caller owns the wrapped stream
  }

  private void advance(int n) {
    count += n;
    if (count > maxBytes) {
      exceeded = true;
      throw tooLarge();
    }
  }

  boolean exceeded() {
    return exceeded;
  }

  PayloadTooLargeException tooLarge() {
    return new PayloadTooLargeException("artifact " + path, maxBytes);
  }
}
