package org.docsgen.store.app.http.routes.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.PayloadTooLargeException;

/**
 * An artifact upload as the store reads it: opened only when first read — Jetty answers {@code
 * Expect: 100-continue} with {@code 100 Continue} when the request's input stream is obtained, so a
 * write refused before its body (create-only on an existing path, an unusable token, a closed
 * stage) is answered without inviting the client to send it — counted (for the request log and
 * metrics), cut off with {@link PayloadTooLargeException} as soon as it passes {@code
 * server.maxArtifactBytes}, and with a failing client connection reported as an invalid body rather
 * than an I/O error — so an adapter never mistakes a client that went away for its own backend
 * failing.
 */
final class BodyStream extends FilterInputStream {
  private final Supplier<InputStream> body;
  private final long limit;
  private final Exchange exchange;
  private long count;

  BodyStream(Supplier<InputStream> body, long limit, Exchange exchange) {
    super(null);
    this.body = body;
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
      if (in == null) {
        exchange.bodyOpened();
        in = body.get();
      }
      n = super.read(buffer, offset, length);
    } catch (IOException e) {
      throw new InvalidInputException(
          "body",
          "the request body could not be read to its end: it was shorter than its"
              + " Content-Length, its chunks were malformed, or the connection broke");
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
  public int available() throws IOException {
    return in == null ? 0 : super.available();
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      super.close();
    }
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
