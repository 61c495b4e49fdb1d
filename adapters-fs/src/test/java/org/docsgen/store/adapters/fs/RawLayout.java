package org.docsgen.store.adapters.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Stream;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * The documented on-disk layout, spelled out independently of the store's own code so tests check
 * the files themselves: {@code <root>/<run>/<stage>/<folders…>/<file>@<generation>/content}, or
 * {@code <first 100 chars>@sha256-<hex of file>@<generation>} when that is over 255 bytes.
 */
final class RawLayout {
  private RawLayout() {}

  /** The packed generations' directory: {@code <root>/~packs/}. */
  static final String PACKS = "~packs";

  /**
   * One record of a segment file {@code ~packs/*.pack}, read by the documented format: magic {@code
   * DGP1}, total length, kind ({@code V} a version, {@code X} a removal), metadata length (all
   * big-endian), the metadata ({@code meta.properties} text), the content, a CRC32C of all before
   * it.
   */
  record PackedRecord(
      Path segment,
      long offset,
      char kind,
      String metadata,
      long contentOffset,
      int contentLength) {
    boolean describes(LogicalPath path, int generation) {
      return metadata.contains("\npath=" + path + "\n")
          && metadata.contains("\ngeneration=" + generation + "\n");
    }
  }

  /** Every whole record of every segment (stopping at a segment's first broken one). */
  static List<PackedRecord> packedRecords(Path root) {
    Path packs = root.resolve(PACKS);
    if (!Files.isDirectory(packs)) {
      return List.of();
    }
    List<PackedRecord> records = new java.util.ArrayList<>();
    try (Stream<Path> segments = Files.list(packs)) {
      for (Path segment : segments.filter(p -> p.toString().endsWith(".pack")).sorted().toList()) {
        byte[] bytes = Files.readAllBytes(segment);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        int at = 0;
        while (at + 17 <= bytes.length && buffer.getInt(at) == 0x44475031) {
          int length = buffer.getInt(at + 4);
          char kind = (char) bytes[at + 8];
          int metadataLength = buffer.getInt(at + 9);
          if (length < 17 || at + length > bytes.length) {
            break;
          }
          java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
          crc.update(bytes, at, length - 4);
          if ((int) crc.getValue() != buffer.getInt(at + length - 4)) {
            break;
          }
          String metadata =
              "\n" + new String(bytes, at + 13, metadataLength, StandardCharsets.UTF_8);
          records.add(
              new PackedRecord(
                  segment,
                  at,
                  kind,
                  metadata,
                  at + 13L + metadataLength,
                  length - 17 - metadataLength));
          at += length;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /** The version record of {@code path} at {@code generation}, if packed. */
  static java.util.Optional<PackedRecord> packed(Path root, LogicalPath path, int generation) {
    return packedRecords(root).stream()
        .filter(r -> r.kind() == 'V' && r.describes(path, generation))
        .findFirst();
  }

  /** The content of a packed version, as UTF-8 text. */
  static String packedContent(Path root, LogicalPath path, int generation) throws IOException {
    PackedRecord record =
        packed(root, path, generation)
            .orElseThrow(() -> new AssertionError(path + "@" + generation + " is not packed"));
    byte[] bytes = Files.readAllBytes(record.segment());
    return new String(
        bytes, (int) record.contentOffset(), record.contentLength(), StandardCharsets.UTF_8);
  }

  /**
   * Flips the first content byte of a packed version in place (or, when it has none, its last
   * metadata byte): bytes rotted or edited on disk.
   */
  static void flipPacked(Path root, LogicalPath path, int generation) throws IOException {
    PackedRecord record =
        packed(root, path, generation)
            .orElseThrow(() -> new AssertionError(path + "@" + generation + " is not packed"));
    long at = record.contentLength() > 0 ? record.contentOffset() : record.contentOffset() - 1;
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            record.segment(),
            java.nio.file.StandardOpenOption.READ,
            java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
      channel.write(one, at);
    }
  }

  static Path generationDir(Path root, LogicalPath path, int generation) {
    Path dir = root.resolve(path.runId().toString()).resolve(path.stage().toString());
    String[] segments = path.name().split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      dir = dir.resolve(segments[i]);
    }
    String file = segments[segments.length - 1];
    String plain = file + "@" + generation;
    if (plain.getBytes(StandardCharsets.UTF_8).length <= 255) {
      return dir.resolve(plain);
    }
    return dir.resolve(file.substring(0, 100) + "@sha256-" + sha256Hex(file) + "@" + generation);
  }

  private static String sha256Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path content(Path root, LogicalPath path, int generation) {
    return generationDir(root, path, generation).resolve("content");
  }

  static Path meta(Path root, LogicalPath path, int generation) {
    return generationDir(root, path, generation).resolve("meta.properties");
  }

  /** Every staging (write-in-progress) entry anywhere below {@code root}. */
  /**
   * Replaces generation 1's {@code content} of {@code path} with a new file (another inode) holding
   * {@code bytes}, renamed over it: the "content replaced" tamper.
   */
  static void replaceContent(Path root, LogicalPath path, byte[] bytes) throws IOException {
    Path content = content(root, path, 1);
    Path forged = Files.write(content.resolveSibling("forged"), bytes);
    Files.move(forged, content, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The reliability suite's "size alone edited" tamper on generation 1 of two paths whose recorded
   * size is 10: {@code renamedOver}'s {@code meta.properties} replaced by an edited copy (a new
   * inode), {@code inPlace}'s rewritten in place (the change time moves with the write; the sleep
   * steps past a coarse file-time tick). Both then record 11.
   */
  static void editRecordedSize(Path root, LogicalPath renamedOver, LogicalPath inPlace)
      throws IOException, InterruptedException {
    Path meta = meta(root, renamedOver, 1);
    Path edited = meta.resolveSibling("edited");
    Files.writeString(edited, Files.readString(meta).replace("size=10", "size=11"));
    Files.move(edited, meta, StandardCopyOption.REPLACE_EXISTING);
    Thread.sleep(25);
    Path metaInPlace = meta(root, inPlace, 1);
    Files.writeString(metaInPlace, Files.readString(metaInPlace).replace("size=10", "size=11"));
  }

  static List<Path> stagingEntries(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> p.getFileName().toString().startsWith("~"))
          .filter(p -> !p.startsWith(root.resolve(PACKS)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every regular file below {@code dir}, relative to it. */
  static List<String> files(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
