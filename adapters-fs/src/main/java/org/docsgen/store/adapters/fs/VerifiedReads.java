package org.docsgen.store.adapters.fs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.out.ByteRange;

/**
 * Integrity on read (ARCHITECTURE.md § "Integrity on read") for the filesystem store: every read,
 * whole or ranged, is checked, and only the first read of a stored object is paid in SHA-256.
 *
 * <p>The first time this process reads a content file of a given identity (device, inode, size,
 * change time), the whole file is hashed with SHA-256 and compared with the hash the caller expects
 * (the manifest's); while hashing, a CRC32C of every 64 KiB block is taken. When the hash matches,
 * the block CRCs are remembered for that identity. Every later read of the same identity — whole, a
 * byte range or a line preview — reads the blocks it covers, checks each block's CRC32C before any
 * byte of it is handed on, and delivers only the part asked for. A file whose identity changed
 * (rewritten, replaced, touched) is hashed again; one whose bytes changed in place without a new
 * identity fails its block check.
 *
 * <p>A whole read of an object not yet verified streams as it is hashed and fails at its end, like
 * {@link org.docsgen.store.ports.stream.VerifyingInputStream}; an object of one block (≤ 64 KiB) is
 * verified before its first byte is delivered. A ranged read of an object not yet verified hashes
 * the whole object first, so no unverified byte is ever delivered.
 *
 * <p>An object this process has just written is remembered without being read back ({@link
 * #remember}): the writer hashed exactly those bytes with SHA-256 and takes their block CRC32Cs as
 * it writes them ({@link BlockCrcs}), so the first read of a version it wrote is already a checked
 * read (see {@code FsArtifactStore#seed} for why that is as safe as a read's verification).
 */
final class VerifiedReads {
  /** Bytes per CRC32C block; also the read buffer. */
  static final int BLOCK_BYTES = 64 * 1024;

  /**
   * How many verified objects the process remembers (~300 bytes each with its key, plus 4 per
   * block).
   */
  private static final long MAX_REMEMBERED = 20_000;

  /** What makes a stored object the same object: change time moves with any write or rename. */
  record Identity(Object fileKey, long size, long changeTimeNanos) {}

  private record Key(Path file, ContentHash hash) {}

  private record Verified(Identity identity, int[] blockCrcs) {}

  private final Cache<Key, Verified> verified =
      Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).build();
  private final BufferPool buffers = new BufferPool(BLOCK_BYTES, 64);
  private final LongAdder wholeHashes = new LongAdder();

  /**
   * A stream over {@code range} (null: the whole content) of {@code channel}, the open content file
   * of {@code info} at {@code file} with {@code identity}; takes ownership of the channel.
   */
  InputStream open(
      ArtifactInfo info, Path file, Identity identity, FileChannel channel, ByteRange range)
      throws IOException {
    Key key = new Key(file, info.hash());
    Verified known = verified.getIfPresent(key);
    if (known != null && !known.identity().equals(identity)) {
      verified.invalidate(key);
      known = null;
    }
    if (known == null && range == null) {
      return new FirstRead(info, key, identity, channel);
    }
    if (known == null) {
      known = verifyWhole(info, key, identity, channel);
    }
    long first = range == null ? 0 : range.first();
    long end = range == null ? info.size() : range.last() + 1;
    return new CheckedRead(info, key, known.blockCrcs(), channel, first, end);
  }

  /**
   * Remembers the content of {@code info} at {@code file}, with {@code identity}, as verified with
   * {@code blockCrcs} (one CRC32C per {@link #BLOCK_BYTES} block, from {@link BlockCrcs}), as if a
   * read had just hashed it and found {@code info}'s hash. Only for bytes this process has itself
   * hashed to {@code info.hash()} while writing them to that very file: see {@code
   * FsArtifactStore#seed}. Returns false, remembering nothing, when the CRCs or the identity do not
   * fit {@code info}'s size.
   */
  boolean remember(ArtifactInfo info, Path file, Identity identity, int[] blockCrcs) {
    if (identity.size() != info.size() || blockCrcs.length != blockCount(info.size())) {
      return false;
    }
    verified.put(new Key(file, info.hash()), new Verified(identity, blockCrcs));
    return true;
  }

  /** Number of objects remembered as verified (tests). */
  long rememberedCount() {
    verified.cleanUp();
    return verified.estimatedSize();
  }

  /** How many reads have hashed a whole object with SHA-256 so far (tests). */
  long wholeHashCount() {
    return wholeHashes.sum();
  }

  /**
   * The CRC32C of every {@link #BLOCK_BYTES} block of a byte stream fed in chunks of any size, as
   * {@link VerifiedReads} takes them on a first read: for a writer to take them from the very bytes
   * it writes. Not thread-safe.
   */
  static final class BlockCrcs {
    private final CRC32C crc = new CRC32C();
    private int[] crcs = new int[4];
    private int blocks;
    private int inBlock;

    /** Feeds the next {@code length} bytes of the stream. */
    void update(byte[] bytes, int offset, int length) {
      while (length > 0) {
        int n = Math.min(length, BLOCK_BYTES - inBlock);
        crc.update(bytes, offset, n);
        inBlock += n;
        offset += n;
        length -= n;
        if (inBlock == BLOCK_BYTES) {
          endBlock();
        }
      }
    }

    /** The CRCs of all blocks fed, the last one possibly short; nothing may be fed after. */
    int[] finish() {
      if (inBlock > 0) {
        endBlock();
      }
      return Arrays.copyOf(crcs, blocks);
    }

    private void endBlock() {
      if (blocks == crcs.length) {
        crcs = Arrays.copyOf(crcs, blocks * 2);
      }
      crcs[blocks++] = (int) crc.getValue();
      crc.reset();
      inBlock = 0;
    }
  }

  private Verified verifyWhole(ArtifactInfo info, Key key, Identity identity, FileChannel channel)
      throws IOException {
    wholeHashes.increment();
    MessageDigest digest = ContentHash.newDigest();
    int[] crcs = new int[blockCount(info.size())];
    byte[] buffer = buffers.take();
    try {
      CRC32C crc = new CRC32C();
      long position = 0;
      for (int block = 0; block < crcs.length; block++) {
        int length = readBlock(channel, buffer, position, info.size(), info);
        digest.update(buffer, 0, length);
        crc.reset();
        crc.update(buffer, 0, length);
        crcs[block] = (int) crc.getValue();
        position += length;
      }
      if (channel.size() != info.size()) {
        throw sizeChanged(info, channel.size());
      }
    } finally {
      buffers.give(buffer);
    }
    ContentHash actual = ContentHash.ofDigest(digest.digest());
    if (!actual.equals(info.hash())) {
      throw IntegrityException.mismatch(info.path(), info.generation(), info.hash(), actual);
    }
    Verified result = new Verified(identity, crcs);
    verified.put(key, result);
    return result;
  }

  private static int blockCount(long size) {
    return (int) ((size + BLOCK_BYTES - 1) / BLOCK_BYTES);
  }

  /** Reads the block starting at {@code position} in full; a short file is an integrity error. */
  private static int readBlock(
      FileChannel channel, byte[] buffer, long position, long size, ArtifactInfo info)
      throws IOException {
    int length = (int) Math.min(BLOCK_BYTES, size - position);
    ByteBuffer view = ByteBuffer.wrap(buffer, 0, length);
    while (view.hasRemaining()) {
      int n = channel.read(view, position + view.position());
      if (n < 0) {
        throw sizeChanged(info, position + view.position());
      }
    }
    return length;
  }

  private static IntegrityException sizeChanged(ArtifactInfo info, long actual) {
    return new IntegrityException(
        info.path(),
        "the content of generation "
            + info.generation()
            + " has "
            + actual
            + " bytes, not the recorded "
            + info.size());
  }

  /**
   * Serves block-sized chunks out of one pooled buffer; returns the buffer and channel at close.
   */
  private abstract class BlockStream extends InputStream {
    final ArtifactInfo info;
    final FileChannel channel;
    byte[] buffer;
    int available;
    int offset;
    private boolean closed;

    BlockStream(ArtifactInfo info, FileChannel channel) {
      this.info = info;
      this.channel = channel;
      this.buffer = buffers.take();
    }

    /** Fills {@link #buffer} with the next deliverable bytes; false at the end. */
    abstract boolean fill() throws IOException;

    @Override
    public int read() throws IOException {
      if (available == 0 && !refill()) {
        return -1;
      }
      available--;
      return buffer[offset++] & 0xff;
    }

    @Override
    public int read(byte[] target, int targetOffset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (available == 0 && !refill()) {
        return -1;
      }
      int n = Math.min(length, available);
      System.arraycopy(buffer, offset, target, targetOffset, n);
      offset += n;
      available -= n;
      return n;
    }

    @Override
    public int available() {
      return available;
    }

    private boolean refill() throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      return fill();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      byte[] held = buffer;
      buffer = null;
      buffers.give(held);
      channel.close();
    }
  }

  /** A whole read of an object not verified yet: hashes as it streams, remembers on success. */
  private final class FirstRead extends BlockStream {
    private final Key key;
    private final Identity identity;
    private final MessageDigest digest = ContentHash.newDigest();
    private final CRC32C crc = new CRC32C();
    private final int[] crcs;
    private long position;
    private int block;
    private boolean ended;

    FirstRead(ArtifactInfo info, Key key, Identity identity, FileChannel channel) {
      super(info, channel);
      wholeHashes.increment();
      this.key = key;
      this.identity = identity;
      this.crcs = new int[blockCount(info.size())];
    }

    @Override
    boolean fill() throws IOException {
      if (ended) {
        return false;
      }
      if (position >= info.size()) {
        finish();
        return false;
      }
      int length = readBlock(channel, buffer, position, info.size(), info);
      digest.update(buffer, 0, length);
      crc.reset();
      crc.update(buffer, 0, length);
      crcs[block++] = (int) crc.getValue();
      position += length;
      if (position >= info.size()) {
        // the last block: verify before any of it is delivered
        finish();
      }
      offset = 0;
      available = length;
      return true;
    }

    private void finish() throws IOException {
      ended = true;
      if (channel.size() != info.size()) {
        throw sizeChanged(info, channel.size());
      }
      ContentHash actual = ContentHash.ofDigest(digest.digest());
      if (!actual.equals(info.hash())) {
        available = 0;
        throw IntegrityException.mismatch(info.path(), info.generation(), info.hash(), actual);
      }
      verified.put(key, new Verified(identity, crcs));
    }
  }

  /** A read of a verified object: each block's CRC32C is checked before any of it is delivered. */
  private final class CheckedRead extends BlockStream {
    private final Key key;
    private final int[] crcs;
    private final long end;
    private final CRC32C crc = new CRC32C();
    private long next;

    CheckedRead(ArtifactInfo info, Key key, int[] crcs, FileChannel channel, long first, long end) {
      super(info, channel);
      this.key = key;
      this.crcs = crcs;
      this.end = end;
      this.next = first;
    }

    @Override
    boolean fill() throws IOException {
      if (next >= end) {
        return false;
      }
      int block = (int) (next / BLOCK_BYTES);
      long blockStart = (long) block * BLOCK_BYTES;
      int length = readBlock(channel, buffer, blockStart, info.size(), info);
      crc.reset();
      crc.update(buffer, 0, length);
      if ((int) crc.getValue() != crcs[block]) {
        verified.invalidate(key);
        throw new IntegrityException(
            info.path(),
            "generation "
                + info.generation()
                + " changed on disk after it was verified: block at byte "
                + blockStart
                + " fails its CRC32C check");
      }
      offset = (int) (next - blockStart);
      available = (int) (Math.min(end, blockStart + length) - next);
      next += available;
      return true;
    }
  }
}
