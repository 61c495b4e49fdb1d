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
}
