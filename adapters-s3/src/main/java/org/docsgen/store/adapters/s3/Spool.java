package org.docsgen.store.adapters.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.stream.BoundedInputStream;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * A write's bytes staged in a local temporary file, hashed in the same pass. The S3 key of a
 * generation's bytes contains their SHA-256, and the guard needs the hash before anything is
 * written, so the content is staged first and uploaded from the file (single put, or parts read
 * back slice by slice): memory stays at one copy buffer whatever the size.
 */
final class Spool implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;

  private final Path file;
  private final long size;
  private final ContentHash hash;

  private Spool(Path file, long size, ContentHash hash) {
    this.file = file;
    this.size = size;
    this.hash = hash;
  }

  /** Copies {@code content} to its end (without closing it) into a temp file under {@code dir}. */
  static Spool fill(InputStream content, Path dir, long maxBytes) throws IOException {
    Path file =
        dir == null
            ? Files.createTempFile("docsgen-s3-", ".spool")
            : Files.createTempFile(Files.createDirectories(dir), "docsgen-s3-", ".spool");
    try {
      DigestingInputStream in = new DigestingInputStream(content, maxBytes);
      byte[] buffer = new byte[BUFFER];
      try (OutputStream out = Files.newOutputStream(file)) {
        int n;
        while ((n = readContent(in, buffer)) >= 0) {
          out.write(buffer, 0, n);
        }
      }
      return new Spool(file, in.count(), in.hash());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * One read of the caller's content: its {@link IOException} (the source broke, e.g. a client that
   * went away) is marked {@link ContentUnreadableException}, so it is not taken for a failure of
   * the spool file or of S3; the size limit's own exception passes as it is.
   */
  private static int readContent(DigestingInputStream in, byte[] buffer) throws IOException {
    try {
      return in.read(buffer);
    } catch (DigestingInputStream.SizeLimitExceededIOException e) {
      throw e;
    } catch (IOException e) {
      throw new ContentUnreadableException(e);
    }
  }

  /** Marks an {@link IOException} thrown by the caller's content stream (not by disk or S3). */
  static final class ContentUnreadableException extends IOException {
    ContentUnreadableException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  Path file() {
    return file;
  }

  long size() {
    return size;
  }

  ContentHash hash() {
    return hash;
  }

  /** A fresh stream over {@code length} bytes from {@code offset} (one multipart part). */
  InputStream slice(long offset, long length) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    channel.position(offset);
    return new BoundedInputStream(Channels.newInputStream(channel), length);
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover spool file in the temp directory is harmless
    }
  }
}
