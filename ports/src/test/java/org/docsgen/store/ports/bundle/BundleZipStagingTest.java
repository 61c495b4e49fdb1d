package org.docsgen.store.ports.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.docsgen.store.domain.artifact.ContentHash;
import org.junit.jupiter.api.Test;

class BundleZipStagingTest {
  private static final List<BundleZipWriter.Entry> ENTRIES =
      List.of(entry("b.md", "bee\n"), entry("a.md", "ay\n"));

  private static BundleZipWriter.Entry entry(String name, String text) {
    return new BundleZipWriter.Entry(name, () -> new ByteArrayInputStream(text.getBytes(UTF_8)));
  }

  @Test
  void thePublisherGetsTheZipWriteWouldWriteAndItsHashedEntries() throws IOException {
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    BundleZipWriter.write(ENTRIES, direct);

    byte[] staged =
        BundleZipWriter.stage(
            ENTRIES,
            (written, zip) -> {
              assertThat(written)
                  .extracting(BundleZipWriter.WrittenEntry::name)
                  .containsExactly("a.md", "b.md");
              assertThat(written.get(0).hash())
                  .isEqualTo(ContentHash.sha256("ay\n".getBytes(UTF_8)));
              assertThat(written.get(0).size()).isEqualTo(3);
              return zip.readAllBytes();
            });

    assertThat(staged).isEqualTo(direct.toByteArray());
  }

  @Test
  void smallEntriesDeflatedAheadAndLargeOnesStreamedMakeOneDeterministicReadableZip()
      throws IOException {
    java.util.Random random = new java.util.Random(11);
    java.util.Map<String, byte[]> contents = new java.util.TreeMap<>();
    for (int i = 0; i < 12; i++) {
      contents.put("small-" + i + ".md", ("line " + i + "\n").repeat(200 + i).getBytes(UTF_8));
    }
    byte[] large = new byte[BundleZipWriter.SMALL_ENTRY_BYTES + 300_000];
    random.nextBytes(large);
    contents.put("large.bin", large);
    byte[] edge = new byte[BundleZipWriter.SMALL_ENTRY_BYTES];
    random.nextBytes(edge);
    contents.put("edge.bin", edge);
    contents.put("empty.txt", new byte[0]);
    List<BundleZipWriter.Entry> entries = new java.util.ArrayList<>();
    contents.forEach(
        (name, bytes) ->
            entries.add(new BundleZipWriter.Entry(name, () -> new ByteArrayInputStream(bytes))));
    java.util.Collections.reverse(entries);

    ByteArrayOutputStream first = new ByteArrayOutputStream();
    List<BundleZipWriter.WrittenEntry> written = BundleZipWriter.write(entries, first);
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    BundleZipWriter.write(entries, second);

    assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    assertThat(written)
        .extracting(BundleZipWriter.WrittenEntry::name)
        .containsExactlyElementsOf(contents.keySet());
    for (BundleZipWriter.WrittenEntry entry : written) {
      byte[] bytes = contents.get(entry.name());
      assertThat(entry.hash()).isEqualTo(ContentHash.sha256(bytes));
      assertThat(entry.size()).isEqualTo(bytes.length);
    }
    // read back by the JDK's own zip reader: every entry's bytes as given, in name order
    java.util.List<String> names = new java.util.ArrayList<>();
    try (java.util.zip.ZipInputStream zip =
        new java.util.zip.ZipInputStream(new ByteArrayInputStream(first.toByteArray()))) {
      for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertThat(zip.readAllBytes()).isEqualTo(contents.get(e.getName()));
      }
    }
    assertThat(names).containsExactlyElementsOf(contents.keySet());
  }

  @Test
  void anEntryThatFailsToOpenFailsTheZipAndLeavesNothingOpen() {
    java.util.concurrent.atomic.AtomicInteger open =
        new java.util.concurrent.atomic.AtomicInteger();
    List<BundleZipWriter.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      entries.add(
          new BundleZipWriter.Entry(
              "e" + (char) ('a' + i),
              () -> {
                if (n == 3) {
                  throw new IOException("entry 3 is gone");
                }
                open.incrementAndGet();
                return new java.io.FilterInputStream(
                    new ByteArrayInputStream(new byte[BundleZipWriter.SMALL_ENTRY_BYTES + 10])) {
                  @Override
                  public void close() throws IOException {
                    open.decrementAndGet();
                    super.close();
                  }
                };
              }));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BundleZipWriter.write(entries, new ByteArrayOutputStream()))
        .hasRootCauseMessage("entry 3 is gone");
    assertThat(open.get()).isZero();
  }
}
