package org.docsgen.store.app.http.routes.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.PayloadTooLargeException;

/**
 * An artifact upload as the store reads it: counted (for the request log and metrics), cut off with
 * {@link PayloadTooLargeException} as soon as it passes {@code server.maxArtifactBytes}, and with a
 * failing client connection reported as an invalid body rather than an I/O error — so an adapter
 * never mistakes a client that went away for its own backend failing.
 */
final class BodyStream extends FilterInputStream {
  private final long limit;
  private final Exchange exchange;
  private long count;

  BodyStream(InputStream in, long limit, Exchange exchange) {
    super(in);
    this.limit = limit;
    this.exchange = exchange;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    int n;
    try {
      n = super.read(buffer, offset, length);
    } catch (IOException e) {
      throw new InvalidInputException(
          "body",
          "the request body could not be read to its end (" + e.getClass().getSimpleName() + ")");
    }
    if (n > 0) {
      count += n;
      exchange.countIn(n);
      if (count > limit) {
        throw new PayloadTooLargeException("the artifact", limit);
      }
    }
    return n;
  }

  @Override
  public long skip(long n) {
    throw new UnsupportedOperationException("an upload is read, never skipped");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
