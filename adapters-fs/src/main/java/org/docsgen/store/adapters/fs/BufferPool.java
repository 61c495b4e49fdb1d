package org.docsgen.store.adapters.fs;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A bounded pool of equal byte arrays, so reads do not allocate a fresh 64 KiB buffer per request.
 * An empty pool allocates; a full pool lets the returned buffer go to the garbage collector.
 */
final class BufferPool {
  private final int bufferBytes;
  private final ArrayBlockingQueue<byte[]> idle;

  BufferPool(int bufferBytes, int maxIdle) {
    this.bufferBytes = bufferBytes;
    this.idle = new ArrayBlockingQueue<>(maxIdle);
  }

  byte[] take() {
    byte[] buffer = idle.poll();
    return buffer != null ? buffer : new byte[bufferBytes];
  }

  void give(byte[] buffer) {
    if (buffer != null && buffer.length == bufferBytes) {
      idle.offer(buffer);
    }
  }
}
