package org.docsgen.store.app.cli.reliability;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The soak's artifact contents: UTF-8 text lines ({@code \n}-terminated, of varied lengths) made
 * from a seed, so a version can be made again to check a read without keeping its bytes.
 */
final class SoakContent {
  private static final byte[] LETTERS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 #*-_.,:;"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private SoakContent() {}

  /** At least {@code target} bytes of whole lines (at most one line more), the same per seed. */
  static byte[] text(long seed, int target) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] out = new byte[target + 160];
    int n = 0;
    int line = 1;
    while (n < target) {
      byte[] number = ("L" + line++ + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(number, 0, out, n, number.length);
      n += number.length;
      int length = random.nextInt(8, 120);
      for (int i = 0; i < length; i++) {
        out[n++] = LETTERS[random.nextInt(LETTERS.length)];
      }
      out[n++] = '\n';
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Where each line starts, plus the end: {@code starts[i]} is the offset of line {@code i + 1},
   * and the last element is the length (every line ends with {@code \n}).
   */
  static int[] lineStarts(byte[] text) {
    int lines = 0;
    for (byte b : text) {
      if (b == '\n') {
        lines++;
      }
    }
    int[] starts = new int[lines + 1];
    int line = 1;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n' && line <= lines) {
        starts[line++] = i + 1;
      }
    }
    return starts;
  }
}
