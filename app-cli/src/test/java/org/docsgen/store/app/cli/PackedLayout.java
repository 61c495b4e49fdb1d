package org.docsgen.store.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The filesystem store's packed generations as docs/storage-layout.md § "Packed generations"
 * documents them, read and tampered with independently of the store's code: segment files {@code
 * <root>/~packs/*.pack}, each a sequence of records (big-endian) — magic {@code DGP1}, total
 * length, kind ({@code V} a version, {@code X} its removal), metadata length, the metadata ({@code
 * meta.properties} text), the content, a CRC32C of all before it. Bodies of at most {@link
 * #MAX_PACKED_BYTES} are packed; larger ones are generation directories.
 */
public final class PackedLayout {
  /** The largest body packed (64 KiB); one byte more is a generation directory. */
  public static final int MAX_PACKED_BYTES = 64 * 1024;

  private static final int MAGIC = 0x44475031;
  private static final int HEADER = 13;

  private PackedLayout() {}

  /** One whole record of a segment. */
  public record Record(
      Path segment, long offset, char kind, String metadata, long contentOffset, int length) {
    /** Whether its metadata names {@code path} at {@code generation}. */
    public boolean describes(String path, int generation) {
      return ("\n" + metadata).contains("\npath=" + path + "\n")
          && ("\n" + metadata).contains("\ngeneration=" + generation + "\n");
    }

    public int contentLength() {
      return length - HEADER - metadata.getBytes(UTF_8).length - 4;
    }

    /** The stored content bytes, as they are in the segment now. */
    public byte[] content() throws IOException {
      return read(segment, contentOffset, contentLength());
    }

    /** Overwrites the content in place with as many other bytes (the CRC is left as it was). */
    public void writeContent(byte[] bytes) throws IOException {
      if (bytes.length != contentLength()) {
        throw new IllegalArgumentException(
            "in place: " + bytes.length + " bytes for " + contentLength());
      }
      write(segment, contentOffset, bytes);
    }

    /**
     * Rewrites the record in place as a whole, valid record (its CRC32C recomputed) with {@code
     * newMetadata} and {@code newContent}, each as long as before: a forgery, not damage.
     */
    public void forge(String newMetadata, byte[] newContent) throws IOException {
      byte[] m = newMetadata.getBytes(UTF_8);
      if (m.length != metadata.getBytes(UTF_8).length || newContent.length != contentLength()) {
        throw new IllegalArgumentException("a forgery in place keeps every length");
      }
      ByteBuffer record = ByteBuffer.allocate(length);
      record.putInt(MAGIC).putInt(length).put((byte) kind).putInt(m.length).put(m).put(newContent);
      CRC32C crc = new CRC32C();
      crc.update(record.array(), 0, length - 4);
      record.putInt((int) crc.getValue());
      write(segment, offset, record.array());
    }
  }

  /**
   * Every whole record of every segment under {@code root}, each segment up to its first bad one.
   */
  public static List<Record> records(Path root) {
    Path packs = root.resolve("~packs");
    List<Record> records = new ArrayList<>();
    if (!Files.isDirectory(packs)) {
      return records;
    }
    try (Stream<Path> files = Files.list(packs)) {
      for (Path segment : files.filter(p -> p.toString().endsWith(".pack")).sorted().toList()) {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int at = 0;
        while (at + HEADER + 4 <= bytes.length && buffer.getInt(at) == MAGIC) {
          int length = buffer.getInt(at + 4);
          int metadataLength = buffer.getInt(at + 9);
          if (length < HEADER + 4 || at + length > bytes.length) {
            break;
          }
          if (metadataLength < 0 || metadataLength > length - HEADER - 4) {
            break;
          }
          // a record whose CRC32C no longer matches (tampered with before) is still where it is:
          // its header says how long it is, so the records after it are found too
          String metadata = new String(bytes, at + HEADER, metadataLength, UTF_8);
          records.add(
              new Record(
                  segment,
                  at,
                  (char) bytes[at + 8],
                  metadata,
                  at + HEADER + metadataLength,
                  length));
          at += length;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /**
   * The version record of {@code path} (run/stage/name) at {@code generation} that no removal
   * record takes back, if packed.
   */
  public static Optional<Record> version(Path root, String path, int generation) {
    List<Record> all = records(root);
    return all.stream()
        .filter(r -> r.kind() == 'V' && r.describes(path, generation))
        .filter(
            v -> all.stream().noneMatch(x -> x.kind() == 'X' && x.metadata().equals(v.metadata())))
        .findFirst();
  }

  /** The packed version of {@code path} at {@code generation}; an assertion error if none. */
  public static Record packed(Path root, String path, int generation) {
    return version(root, path, generation)
        .orElseThrow(() -> new AssertionError(path + "@" + generation + " is not packed"));
  }

  /** The generation directory's {@code content} of {@code path} (no long-name hashing). */
  public static Path contentFile(Path root, String path, int generation) {
    int slash = path.lastIndexOf('/');
    return root.resolve(path.substring(0, slash))
        .resolve(path.substring(slash + 1) + "@" + generation)
        .resolve("content");
  }

  /** Whether the version is stored: packed (and not removed) or as a generation directory. */
  public static boolean stored(Path root, String path, int generation) {
    return version(root, path, generation).isPresent()
        || Files.exists(contentFile(root, path, generation));
  }

  /** XORs content byte {@code index} of the packed version with {@code mask}, in place. */
  public static void flip(Path root, String path, int generation, int index, int mask)
      throws IOException {
    Record record = packed(root, path, generation);
    if (index < 0 || index >= record.contentLength()) {
      throw new IllegalArgumentException(index + " is outside the content");
    }
    byte[] one = read(record.segment(), record.contentOffset() + index, 1);
    one[0] ^= (byte) mask;
    write(record.segment(), record.contentOffset() + index, one);
  }

  private static byte[] read(Path file, long at, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, at + buffer.position()) < 0) {
          throw new IOException("end of " + file);
        }
      }
    }
    return buffer.array();
  }

  private static void write(Path file, long at, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      while (buffer.hasRemaining()) {
        channel.write(buffer, at + buffer.position());
      }
    }
  }
}
