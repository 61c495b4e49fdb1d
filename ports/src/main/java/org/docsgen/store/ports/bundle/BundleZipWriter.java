package org.docsgen.store.ports.bundle;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * The one deterministic bundle zip format every store shares: entries sorted by name, every
 * timestamp the wall-clock time of {@link #FIXED_TIME} (in every JVM time zone), Unix mode {@code
 * 0644}, no extra fields, DEFLATE at level 4. Same entries and bytes in, same zip bytes out. Small
 * entries (up to 1 MiB) are read and deflated ahead of the writer on one thread per CPU and written
 * raw with their sizes and CRC in the local header; larger ones stream through, with a data
 * descriptor. Each entry's SHA-256 is computed in the same pass as its compression.
 */
public final class BundleZipWriter {
  /** 2000-01-01T00:00:00Z: inside the DOS date range, so no extended timestamp is written. */
  public static final Instant FIXED_TIME = Instant.parse("2000-01-01T00:00:00Z");

  private static final LocalDateTime FIXED_WALL_CLOCK =
      LocalDateTime.ofInstant(FIXED_TIME, ZoneOffset.UTC);
  private static final int MODE = 0100644;
  private static final int BUFFER = 64 * 1024;

  /**
   * DEFLATE level 4: on DocsGen's markdown a third of the CPU of level 6 (zlib's and {@code zip}'s
   * default) for a zip 3 % larger; level 9 took twice level 6's time for 0.1 % less
   * (docs/decisions.md § bundle).
   */
  public static final int LEVEL = 4;

  /** Entries up to this size are read and deflated whole, in parallel, ahead of the writer. */
  static final int SMALL_ENTRY_BYTES = 1024 * 1024;

  /** Entries read ahead at most (so at most this many small entries are held in memory). */
  private static final int IN_FLIGHT = 2 * Runtime.getRuntime().availableProcessors();

  /** Deflates small entries ahead of the writer; daemon threads, one per CPU. */
  private static final ExecutorService COMPRESSORS =
      Executors.newFixedThreadPool(
          Runtime.getRuntime().availableProcessors(),
          task -> {
            Thread thread = new Thread(task, "docsgen-bundle-deflate");
            thread.setDaemon(true);
            return thread;
          });

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
    Deque<Future<Prepared>> ahead = new ArrayDeque<>();
    int next = 0;
    try {
      ZipArchiveOutputStream zip = new ZipArchiveOutputStream(new NonClosing(out));
      zip.setLevel(LEVEL);
      zip.setMethod(ZipArchiveOutputStream.DEFLATED);
      zip.setUseZip64(org.apache.commons.compress.archivers.zip.Zip64Mode.AsNeeded);
      byte[] buffer = new byte[BUFFER];
      for (Entry entry : sorted) {
        // keep up to IN_FLIGHT entries read and compressed ahead, on the compression threads
        while (next < sorted.size() && ahead.size() < IN_FLIGHT) {
          Entry upcoming = sorted.get(next++);
          ahead.add(COMPRESSORS.submit(() -> Prepared.of(upcoming)));
        }
        Prepared prepared = await(ahead.removeFirst());
        ZipArchiveEntry zipEntry = new ZipArchiveEntry(entry.name());
        zipEntry.setTime(fixedTimeInDefaultZone());
        zipEntry.setUnixMode(MODE);
        if (prepared.compressed() != null) {
          zipEntry.setMethod(ZipArchiveOutputStream.DEFLATED);
          zipEntry.setSize(prepared.size());
          zipEntry.setCompressedSize(prepared.compressed().length);
          zipEntry.setCrc(prepared.crc());
          zip.addRawArchiveEntry(zipEntry, new ByteArrayInputStream(prepared.compressed()));
          written.add(new WrittenEntry(entry.name(), prepared.hash(), prepared.size()));
          continue;
        }
        // a large entry streams through on this thread: its head was read, the rest follows
        zip.putArchiveEntry(zipEntry);
        try (DigestingInputStream in = new DigestingInputStream(prepared.rest())) {
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
    } finally {
      // entries read ahead but not written (a failure): wait for them and close what they opened
      for (Future<Prepared> pending : ahead) {
        closeQuietly(pending);
      }
    }
  }

  private static Prepared await(Future<Prepared> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing a bundle entry", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }

  private static void closeQuietly(Future<Prepared> pending) {
    try {
      Prepared prepared = pending.get();
      if (prepared.rest() != null) {
        prepared.rest().close();
      }
    } catch (Exception ignored) {
      // failed or abandoned: nothing left open
    }
  }

  /**
   * One entry read ahead: a small one (up to {@link #SMALL_ENTRY_BYTES}) deflated whole, with its
   * CRC-32 and SHA-256, ready to be written raw; a larger one as a stream positioned after nothing
   * (its first bytes pushed back), to stream through the zip on the writing thread.
   */
  private record Prepared(
      byte[] compressed, long size, long crc, ContentHash hash, InputStream rest) {

    static Prepared of(Entry entry) throws IOException {
      InputStream in = entry.source().open();
      try {
        byte[] head = in.readNBytes(SMALL_ENTRY_BYTES + 1);
        if (head.length > SMALL_ENTRY_BYTES) {
          InputStream rest = new SequenceInputStream(new ByteArrayInputStream(head), in);
          in = null;
          return new Prepared(null, -1, 0, null, rest);
        }
        CRC32 crc = new CRC32();
        crc.update(head);
        return new Prepared(
            deflate(head), head.length, crc.getValue(), ContentHash.sha256(head), null);
      } finally {
        if (in != null) {
          in.close();
        }
      }
    }
  }

  /**
   * Each compression thread's deflater, reset between entries: a new one per entry allocated and
   * freed zlib's ~256 KiB of state each time (an mmap, its page faults and a munmap per entry).
   */
  private static final ThreadLocal<Deflater> DEFLATERS =
      ThreadLocal.withInitial(() -> new Deflater(LEVEL, true));

  /** {@code bytes} as one raw DEFLATE stream at {@link #LEVEL}. */
  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = DEFLATERS.get();
    deflater.reset();
    try {
      deflater.setInput(bytes);
      deflater.finish();
      byte[] out = new byte[bytes.length / 2 + 64];
      int length = 0;
      while (!deflater.finished()) {
        if (length == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        length += deflater.deflate(out, length, out.length - length);
      }
      return length == out.length ? out : Arrays.copyOf(out, length);
    } finally {
      deflater.reset(); // drop the reference to the input; keep the native state for the next
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
