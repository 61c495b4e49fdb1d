package org.docsgen.store.ports.service;

import java.io.InputStream;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.stream.PassThroughInputStream;

/**
 * Refuses to deliver more than {@code maxBytes}: the read that would cross the limit throws {@link
 * PayloadTooLargeException} (unchecked, so it reaches the caller through any store), and {@link
 * #exceeded()} remembers it in case a store wraps it.
 */
final class LimitedInputStream extends PassThroughInputStream {
  private final LogicalPath path;
  private final long maxBytes;
  private boolean exceeded;

  LimitedInputStream(InputStream in, LogicalPath path, long maxBytes) {
    super(in, "a limited stream must count every byte");
    this.path = path;
    this.maxBytes = maxBytes;
  }

  @Override
  protected void onBytes(byte[] buffer, int offset, int length) {
    if (count() > maxBytes) {
      exceeded = true;
      throw tooLarge();
    }
  }

  @Override
  public void close() {
    // the caller owns the wrapped stream
  }

  boolean exceeded() {
    return exceeded;
  }

  PayloadTooLargeException tooLarge() {
    return new PayloadTooLargeException("artifact " + path, maxBytes);
  }
}
