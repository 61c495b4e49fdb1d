package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines {@code first..last} of a UTF-8 text read from a stream, in memory bounded by {@code
 * maxBytes} whatever the lengths of the lines. Lines end at {@code \n}, {@code \r} or {@code \r\n}
 * (as {@link java.io.BufferedReader#readLine} has it) and each comes back ending with {@code \n}.
 * Lines before {@code first} stream through a fixed buffer and are never held; the slice is
 * collected as bytes and the read stops as soon as it would pass {@code maxBytes}, or after line
 * {@code last}. Line terminators are ASCII and never part of a multi-byte UTF-8 sequence, so
 * splitting bytes splits characters correctly.
 */
final class LineSlicer {
  private static final int CHUNK = 64 * 1024;

  /** The slice's text and how many lines were counted (all of them when the end was reached). */
  record Slice(String text, int lines) {}

  /** Thrown when the slice would be larger than {@code maxBytes}. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super(null, null, false, false);
    }
  }

  private final int first;
  private final int last;
  private final int maxBytes;
  private byte[] out = new byte[256];
  private int size;
  private int line = 1; // the line being read
  private boolean started; // the current line has at least one byte
  private boolean afterCr; // the previous byte was '\r' (a following '\n' belongs to it)

  private LineSlicer(int first, int last, long maxBytes) {
    this.first = first;
    this.last = last;
    this.maxBytes = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
  }

  static Slice slice(InputStream in, int first, int last, long maxBytes)
      throws IOException, TooLarge {
    return new LineSlicer(first, last, maxBytes).read(in);
  }

  private Slice read(InputStream in) throws IOException, TooLarge {
    byte[] buffer = new byte[CHUNK];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      if (scan(buffer, n)) {
        return new Slice(text(), last);
      }
    }
    if (started) {
      endLine();
    }
    return new Slice(text(), line - 1);
  }

  /** Scans {@code n} bytes; true once line {@code last} is complete. */
  private boolean scan(byte[] buffer, int n) throws TooLarge {
    int i = 0;
    while (i < n) {
      if (afterCr) {
        afterCr = false;
        if (buffer[i] == '\n') {
          i++;
          continue;
        }
      }
      int end = i;
      while (end < n && buffer[end] != '\n' && buffer[end] != '\r') {
        end++;
      }
      if (end > i) {
        started = true;
        if (line >= first) {
          append(buffer, i, end - i);
        }
      }
      if (end == n) {
        return false;
      }
      afterCr = buffer[end] == '\r';
      i = end + 1;
      if (endLine()) {
        return true;
      }
    }
    return false;
  }

  /** Ends the current line; true when it was line {@code last}. */
  private boolean endLine() throws TooLarge {
    if (line >= first) {
      append(new byte[] {'\n'}, 0, 1);
    }
    started = false;
    return line++ == last;
  }

  private void append(byte[] bytes, int from, int length) throws TooLarge {
    if (length > maxBytes - size) {
      throw new TooLarge();
    }
    if (size + length > out.length) {
      out = Arrays.copyOf(out, (int) Math.min(maxBytes, Math.max(2L * out.length, size + length)));
    }
    System.arraycopy(bytes, from, out, size, length);
    size += length;
  }

  private String text() {
    return new String(out, 0, size, UTF_8);
  }
}
