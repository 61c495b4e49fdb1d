package org.docsgen.store.app.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Holds what {@code get} will write until the content has verified, so nothing unverified ever
 * reaches stdout or the output file. For a file: a temporary file beside it, synced and renamed
 * over it only on {@link #publishAs}. For stdout: memory when the artifact is at most {@link
 * #MEMORY_LIMIT} bytes (its recorded size; the reader refuses more), else a temporary file in the
 * system temp directory, copied out on {@link #publishTo}. {@link #close} removes any temporary
 * file, so a failure leaves nothing behind and never touches an existing output file.
 */
final class Spool implements Closeable {
  /** Larger artifacts bound for stdout are spooled to disk instead of memory. */
  static final long MEMORY_LIMIT = 1L << 20;

  private static final int BUFFER = 1 << 16;

  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final ByteArrayOutputStream memory;
  private final OutputStream sink;

  private Spool(Path target, Path temp, FileChannel channel, ByteArrayOutputStream memory) {
    this.target = target;
    this.temp = temp;
    this.channel = channel;
    this.memory = memory;
    this.sink =
        memory != null
            ? memory
            : new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
  }

  /** A spool for {@code target} (null = stdout) of content recorded as {@code size} bytes. */
  static Spool open(Path target, long size) throws IOException {
    if (target == null && size <= MEMORY_LIMIT) {
      return new Spool(null, null, null, new ByteArrayOutputStream((int) Math.max(size, 32)));
    }
    Path temp =
        target == null
            ? Files.createTempFile("docsgen-get-", ".part")
            : Files.createTempFile(
                target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".part");
    try {
      return new Spool(
          target, temp, FileChannel.open(temp, StandardOpenOption.WRITE), /* memory */ null);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Where the bytes go until they are published; the caller does not close it. */
  OutputStream sink() {
    return sink;
  }

  /** Copies the verified bytes to {@code out} (stdout). */
  void publishTo(OutputStream out) throws IOException {
    sink.flush();
    if (memory != null) {
      memory.writeTo(out);
    } else {
      channel.close();
      Files.copy(temp, out);
    }
    out.flush();
  }

  /** Makes the verified bytes durable and renames them over the output file in one step. */
  void publishAs() throws IOException {
    sink.flush();
    channel.force(true);
    channel.close();
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(target.toAbsolutePath().getParent());
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close(); // the buffered sink may hold unflushed bytes of a failed read: dropped
      Files.deleteIfExists(temp);
    }
  }

  /** So the rename survives a power cut; not every platform can open a directory (Windows). */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the file itself is synced; the rename is as durable as the platform makes it
    }
  }
}
