package org.docsgen.store.ports.bundle;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.docsgen.store.ports.bundle.BundleZipWriter.WrittenEntry;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * Reads a bundle zip back for verification: every entry's name, SHA-256 and size, in the order the
 * entries are stored. The zip format stays inside this package (with {@link BundleZipWriter}).
 */
public final class BundleZipReader {
  private static final int BUFFER = 64 * 1024;

  private BundleZipReader() {}

  /**
   * The entries of the zip file at {@code zip}, hashed while streamed.
   *
   * @throws IOException when the file is not a readable zip
   */
  public static List<WrittenEntry> entries(Path zip) throws IOException {
    requireNonNull(zip, "zip is null");
    List<WrittenEntry> entries = new ArrayList<>();
    byte[] buffer = new byte[BUFFER];
    try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
      for (ZipArchiveEntry entry : Collections.list(file.getEntriesInPhysicalOrder())) {
        try (InputStream raw = file.getInputStream(entry);
            DigestingInputStream in = new DigestingInputStream(raw)) {
          while (in.read(buffer) >= 0) {
            // hashing while reading
          }
          entries.add(new WrittenEntry(entry.getName(), in.hash(), in.count()));
        }
      }
    }
    return entries;
  }
}
