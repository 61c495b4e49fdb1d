package org.docsgen.store.adapters.jdbc;

import java.io.InputStream;
import java.util.function.IntFunction;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.IntegrityException;

/**
 * Streams {@code length} bytes of a chunked blob starting at byte {@code first}, fetching one chunk
 * (one short query, no connection held in between) when the previous one is used up. At most one
 * chunk is in memory. A chunk missing or shorter than the layout says is an integrity failure.
 */
final class ChunkInputStream extends InputStream {
  private final LogicalPath path;
  private final IntFunction<byte[]> fetch;
  private final int chunkSize;
  private final long size;
  private long position;
  private long remaining;
  private byte[] chunk;
  private int chunkSeq = -1;

  /**
   * @param fetch returns chunk {@code seq}, or null when there is none
   */
  ChunkInputStream(
      LogicalPath path,
      IntFunction<byte[]> fetch,
      int chunkSize,
      long size,
      long first,
      long length) {
    this.path = path;
    this.fetch = fetch;
    this.chunkSize = chunkSize;
    this.size = size;
    this.position = first;
    this.remaining = length;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    if (remaining == 0) {
      return -1;
    }
    int seq = (int) (position / chunkSize);
    int within = (int) (position % chunkSize);
    if (seq != chunkSeq) {
      chunk = load(seq);
      chunkSeq = seq;
    }
    int n = (int) Math.min(Math.min(length, chunk.length - within), remaining);
    System.arraycopy(chunk, within, buffer, offset, n);
    position += n;
    remaining -= n;
    return n;
  }

  private byte[] load(int seq) {
    byte[] bytes = fetch.apply(seq);
    long expected = Math.min(chunkSize, size - (long) seq * chunkSize);
    if (bytes == null) {
      throw new IntegrityException(path, "stored content is missing chunk " + seq);
    }
    if (bytes.length != expected) {
      throw new IntegrityException(
          path,
          "stored chunk " + seq + " has " + bytes.length + " bytes, the layout says " + expected);
    }
    return bytes;
  }

  @Override
  public int available() {
    if (chunk == null || chunkSeq != (int) (position / chunkSize)) {
      return 0;
    }
    return (int) Math.min(chunk.length - position % chunkSize, remaining);
  }

  @Override
  public void close() {
    chunk = null;
    remaining = 0;
  }
}
