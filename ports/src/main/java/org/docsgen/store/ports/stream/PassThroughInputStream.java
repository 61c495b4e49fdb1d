package org.docsgen.store.ports.stream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that sees every byte its reader takes, once and in order: each chunk read is counted and
 * handed to {@link #onBytes} before the reader gets it, and end of stream to {@link #onEnd}. What a
 * subclass computes (a digest, a limit) therefore covers exactly what was delivered: {@code skip}
 * is refused (a skipped byte would not be seen) and mark/reset is not supported (a byte would be
 * seen twice).
 */
public abstract class PassThroughInputStream extends FilterInputStream {
  private final String skipRefusal;
  private final byte[] single = new byte[1];
  private long count;

  /**
   * @param skipRefusal the message of the {@link UnsupportedOperationException} {@code skip} throws
   */
  protected PassThroughInputStream(InputStream in, String skipRefusal) {
    super(in);
    this.skipRefusal = skipRefusal;
  }

  @Override
  public final int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      single[0] = (byte) b;
      seen(single, 0, 1);
    } else {
      onEnd();
    }
    return b;
  }

  @Override
  public final int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      seen(buffer, offset, n);
    } else if (n < 0) {
      onEnd();
    }
    return n;
  }

  @Override
  public final long skip(long n) {
    throw new UnsupportedOperationException(skipRefusal);
  }

  @Override
  public final boolean markSupported() {
    return false;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /**
   * Called with each chunk read, after {@link #count()} includes it; may throw to refuse it (the
   * reader then never gets it).
   */
  protected abstract void onBytes(byte[] buffer, int offset, int length) throws IOException;

  /** Called each time a read reports end of stream; nothing by default. */
  protected void onEnd() throws IOException {}

  private void seen(byte[] buffer, int offset, int length) throws IOException {
    count += length;
    onBytes(buffer, offset, length);
  }
}
