package org.docsgen.store.app.http.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The filesystem store's packed generations, read by the documented segment format
 * (docs/storage-layout.md § "Packed generations") independently of the store's code, so tests can
 * tamper with the stored bytes: {@code <root>/~packs/*.pack}, each a sequence of records — magic
 * {@code DGP1}, total length, kind ({@code V} a version), metadata length (big-endian), the
 * metadata ({@code meta.properties} text), the content, a CRC32C of all before it.
 */
public final class PackedSegments {
  private PackedSegments() {}

  private static final int MAGIC = 0x44475031;

  /** Where the content of one packed version lies. */
  public record Packed(Path segment, long contentOffset, int contentLength) {}

  /** The version record of {@code path} ({@code run/stage/name}) at {@code generation}. */
  public static Packed find(Path root, String path, int generation) throws IOException {
    Path packs = root.resolve("~packs");
    List<Path> segments;
    try (Stream<Path> all = Files.list(packs)) {
      segments = all.filter(p -> p.toString().endsWith(".pack")).sorted().toList();
    }
    for (Path segment : segments) {
      byte[] bytes = Files.readAllBytes(segment);
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      int at = 0;
      while (at + 17 <= bytes.length && buffer.getInt(at) == MAGIC) {
        int length = buffer.getInt(at + 4);
        int metadataLength = buffer.getInt(at + 9);
        if (length < 17 || at + length > bytes.length) {
          break;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, at, length - 4);
        if ((int) crc.getValue() != buffer.getInt(at + length - 4)) {
          break;
        }
        String metadata = "\n" + new String(bytes, at + 13, metadataLength, UTF_8);
        if (bytes[at + 8] == 'V'
            && metadata.contains("\npath=" + path + "\n")
            && metadata.contains("\ngeneration=" + generation + "\n")) {
          return new Packed(segment, at + 13L + metadataLength, length - 17 - metadataLength);
        }
        at += length;
      }
    }
    throw new AssertionError(path + "@" + generation + " is not packed under " + packs);
  }

  /**
   * Flips bit 0 of content byte {@code index} (negative: from the end) of a packed version, in
   * place in its segment file: bytes rotted or edited on disk.
   */
  public static void flipContentByte(Path root, String path, int generation, int index)
      throws IOException {
    Packed packed = find(root, path, generation);
    long at = packed.contentOffset() + (index < 0 ? packed.contentLength() + index : index);
    try (FileChannel channel =
        FileChannel.open(packed.segment(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
      channel.write(one, at);
    }
  }
}
