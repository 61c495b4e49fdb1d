package org.docsgen.store.ports.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Line previews in bounded memory, with the line semantics of {@code BufferedReader}. */
class LineSlicerTest {

  private static LineSlicer.Slice slice(String text, int first, int last, long max)
      throws IOException, LineSlicer.TooLarge {
    return LineSlicer.slice(new ByteArrayInputStream(text.getBytes(UTF_8)), first, last, max);
  }

  @Property(tries = 1000)
  void agreesWithBufferedReader(
      @ForAll("texts") String text,
      @ForAll @IntRange(min = 1, max = 12) int first,
      @ForAll @IntRange(min = 0, max = 6) int more)
      throws Exception {
    List<String> lines = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new StringReader(text));
    for (String line; (line = reader.readLine()) != null; ) {
      lines.add(line);
    }
    int last = first + more;
    StringBuilder expected = new StringBuilder();
    for (int i = first; i <= Math.min(last, lines.size()); i++) {
      expected.append(lines.get(i - 1)).append('\n');
    }
    LineSlicer.Slice slice = slice(text, first, last, 1 << 20);
    assertThat(slice.text()).isEqualTo(expected.toString());
    assertThat(Math.min(slice.lines(), last)).isEqualTo(Math.min(lines.size(), last));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars("ab\n\r\u00e9\u4e2d").ofMaxLength(40);
  }

  @Test
  void aSliceOverTheLimitIsTooLargeAndAtTheLimitFits() throws Exception {
    assertThat(slice("abc\nde\n", 1, 2, 7).text()).isEqualTo("abc\nde\n");
    assertThatThrownBy(() -> slice("abc\nde\n", 1, 2, 6)).isInstanceOf(LineSlicer.TooLarge.class);
    // the limit is on the slice, not on the lines before it
    assertThat(slice("x".repeat(1000) + "\nok\n", 2, 2, 3).text()).isEqualTo("ok\n");
  }

  @Test
  void aHugeSingleLineIsReadOnlyUpToTheLimit() {
    CountingZeros line = new CountingZeros(1L << 40); // a terabyte without a newline
    assertThatThrownBy(() -> LineSlicer.slice(line, 1, 1, 1 << 20))
        .isInstanceOf(LineSlicer.TooLarge.class);
    assertThat(line.read).isLessThanOrEqualTo((1 << 20) + 64 * 1024);
  }

  @Test
  void stopsReadingAfterTheLastLineAskedFor() throws Exception {
    InputStream endless =
        new InputStream() {
          private long n;

          @Override
          public int read() {
            return n++ % 2 == 0 ? 'x' : '\n';
          }
        };
    assertThat(LineSlicer.slice(endless, 3, 4, 100).text()).isEqualTo("x\nx\n");
  }

  /** {@code size} bytes of 'a', generated, counting what was read. */
  private static final class CountingZeros extends InputStream {
    private final long size;
    long read;

    CountingZeros(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      if (read >= size) {
        return -1;
      }
      read++;
      return 'a';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - read);
      java.util.Arrays.fill(b, off, off + n, (byte) 'a');
      read += n;
      return n;
    }
  }
}
