package org.docsgen.store.adapters.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The body of a GetObject: failures while streaming become port exceptions (the endpoint going away
 * mid-read is a {@code BackendUnavailableException}), and closing before the end aborts the HTTP
 * response instead of draining the rest of the object.
 */
final class S3ReadStream extends FilterInputStream {
  private final ResponseInputStream<?> response;
  private final String what;
  private boolean ended;

  S3ReadStream(ResponseInputStream<?> response, String what) {
    super(response);
    this.response = response;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    try {
      int b = super.read();
      ended |= b < 0;
      return b;
    } catch (SdkException | IOException e) {
      throw S3Failures.translate(what, e);
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    try {
      int n = super.read(buffer, offset, length);
      ended |= n < 0;
      return n;
    } catch (SdkException | IOException e) {
      throw S3Failures.translate(what, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (!ended) {
      response.abort();
    }
    try {
      super.close();
    } catch (SdkException | IOException ignored) {
      // closing an aborted or broken response has nothing left to report
    }
  }
}
