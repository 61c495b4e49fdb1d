package org.docsgen.store.ports.bundle;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * The one deterministic bundle zip format every store shares: entries sorted by name, every
 * timestamp the wall-clock time of {@link #FIXED_TIME} (in every JVM time zone), Unix mode {@code
 * 0644}, no extra fields, DEFLATE at level 9. Same entries and bytes in, same zip bytes out. Entry
 * bytes stream through; each entry's SHA-256 is computed in the same pass.
 */
public final class BundleZipWriter {
  /** 2000-01-01T00:00:00Z: inside the DOS date range, so no extended timestamp is written. */
  public static final Instant FIXED_TIME = Instant.parse("2000-01-01T00:00:00Z");

  private static final LocalDateTime FIXED_WALL_CLOCK =
      LocalDateTime.ofInstant(FIXED_TIME, ZoneOffset.UTC);
  private static final int MODE = 0100644;
  private static final int BUFFER = 64 * 1024;

  /** One zip entry: its name and a way to open its bytes. */
  public record Entry(String name, ContentSource source) {
    public Entry {
      requireNonNull(name, "name is null");
      requireNonNull(source, "source is null");
    }
  }

  /** Opens an entry's bytes; called once, while the zip is written. */
  @FunctionalInterface
  public interface ContentSource {
    InputStream open() throws IOException;
  }

  /** What was written for one entry. */
  public record WrittenEntry(String name, ContentHash hash, long size) {}

  /** Publishes a staged zip (stores it, typically). */
  @FunctionalInterface
  public interface Publisher<T> {
    /**
     * @param written every entry as written, in zip order, with its SHA-256 and size
     * @param zip the staged zip's bytes, to read (closed by the caller)
     */
    T publish(List<WrittenEntry> written, InputStream zip) throws IOException;
  }

  private BundleZipWriter() {}

  /**
   * The one way a bundle zip is made: {@link #write} into a temporary file (never in memory), each
   * entry hashed in the same pass, then the staged file handed to {@code publisher} with the
   * written entries. The temporary file is removed afterwards, whatever happened.
   *
   * @throws IOException when the temporary file cannot be created, written or read back, or when
   *     {@code publisher} throws one
   */
  public static <T> T stage(List<Entry> entries, Publisher<T> publisher) throws IOException {
    requireNonNull(publisher, "publisher is null");
    Path staging = Files.createTempFile("docsgen-bundle-", ".zip");
    try {
      List<WrittenEntry> written;
      try (OutputStream out = Files.newOutputStream(staging)) {
        written = write(entries, out);
      }
      try (InputStream in = Files.newInputStream(staging)) {
        return publisher.publish(List.copyOf(written), in);
      }
    } finally {
      try {
        Files.deleteIfExists(staging);
      } catch (IOException ignored) {
        // a leftover temporary file is harmless
      }
    }
  }

  /**
   * Writes {@code entries} (any order; names must be unique) as a deterministic zip to {@code out}.
   */
  public static List<WrittenEntry> write(List<Entry> entries, OutputStream out) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(Entry::name));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
        throw new IllegalArgumentException("duplicate bundle entry " + sorted.get(i).name());
      }
    }
    List<WrittenEntry> written = new ArrayList<>(sorted.size());
    try {
      ZipArchiveOutputStream zip = new ZipArchiveOutputStream(new NonClosing(out));
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.setMethod(ZipArchiveOutputStream.DEFLATED);
      zip.setUseZip64(org.apache.commons.compress.archivers.zip.Zip64Mode.AsNeeded);
      byte[] buffer = new byte[BUFFER];
      for (Entry entry : sorted) {
        ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.name());
        zipEntry.setTime(fixedTimeInDefaultZone());
        zipEntry.setUnixMode(MODE);
        zip.putArchiveEntry(zipEntry);
        try (DigestingInputStream in = new DigestingInputStream(entry.source().open())) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            zip.write(buffer, 0, n);
          }
          zip.closeArchiveEntry();
          written.add(new WrittenEntry(entry.name(), in.hash(), in.count()));
        }
      }
      zip.finish();
      zip.close();
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("writing bundle zip failed", e);
    }
  }

  /**
   * Zip entries carry DOS times, which are local wall-clock times: commons-compress converts an
   * entry's epoch time to DOS time through the JVM's default time zone. To write the same bytes in
   * every zone we hand it the instant whose local wall-clock time, in the current default zone, is
   * the fixed time's UTC wall-clock time ({@code 2000-01-01 00:00}).
   */
  private static long fixedTimeInDefaultZone() {
    return FIXED_WALL_CLOCK.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
