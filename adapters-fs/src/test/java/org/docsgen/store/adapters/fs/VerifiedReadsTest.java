package org.docsgen.store.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.out.ByteRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the integration tests cannot reach: bytes changed in place while the file keeps the identity
 * the store verified (the store then relies on the block CRC32C alone), and many readers of one
 * object at once, the first of them verifying it.
 */
class VerifiedReadsTest {
  private static final LogicalPath PATH = LogicalPath.parse("run_2026_12_07_0001/phase1/x.bin");
  private static final VerifiedReads.Identity IDENTITY =
      new VerifiedReads.Identity("1:42", 3L * VerifiedReads.BLOCK_BYTES + 100, 7);

  @TempDir Path dir;

  private final VerifiedReads reads = new VerifiedReads();

  @Test
  void bytesChangedUnderTheVerifiedIdentityFailTheirBlockCheckWholeOrRanged() throws IOException {
    byte[] bytes = bytes();
    Path file = Files.write(dir.resolve("content"), bytes);
    ArtifactInfo info = info(bytes);
    assertThat(read(file, info, null)).isEqualTo(bytes); // verified: the CRCs are kept
    assertThat(reads.rememberedCount()).isEqualTo(1);

    int changed = 2 * VerifiedReads.BLOCK_BYTES + 10; // inside the third block
    bytes[changed] ^= 1;
    Files.write(file, bytes); // the same identity is passed below: only the CRC can tell

    // a range in an untouched block still reads; one touching the changed block does not
    assertThat(read(file, info, ByteRange.of(0, 99))).isEqualTo(Arrays.copyOfRange(bytes, 0, 100));
    assertThatThrownBy(() -> read(file, info, ByteRange.of(changed, changed)))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("fails its CRC32C check");
    // the failure made the store forget the object: the next read hashes it whole again and fails
    assertThat(reads.rememberedCount()).isZero();
    assertThatThrownBy(() -> read(file, info, null))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("does not match the recorded");
  }

  /**
   * What the store seeds for a version it has just written (FsArtifactStore#seed): CRCs taken by
   * {@link VerifiedReads.BlockCrcs} from the bytes as written, in chunks that straddle blocks. Read
   * back with no SHA-256; bytes then changed under the same identity fail the block check — the
   * case FsWriteSeedTest cannot make on a real file system (no user keeps a change time).
   */
  @Test
  void aRememberedObjectChangedUnderItsIdentityFailsItsBlockCheck() throws IOException {
    byte[] bytes = bytes();
    Path file = Files.write(dir.resolve("content"), bytes);
    ArtifactInfo info = info(bytes);
    VerifiedReads.BlockCrcs crcs = new VerifiedReads.BlockCrcs();
    for (int offset = 0; offset < bytes.length; offset += 999) {
      crcs.update(bytes, offset, Math.min(999, bytes.length - offset));
    }

    assertThat(reads.remember(info, file, IDENTITY, crcs.finish())).isTrue();
    assertThat(read(file, info, null)).isEqualTo(bytes);
    assertThat(read(file, info, ByteRange.of(3L * VerifiedReads.BLOCK_BYTES, bytes.length - 1)))
        .isEqualTo(Arrays.copyOfRange(bytes, 3 * VerifiedReads.BLOCK_BYTES, bytes.length));
    assertThat(reads.wholeHashCount()).isZero();

    int changed = VerifiedReads.BLOCK_BYTES + 1; // the second block
    bytes[changed] ^= 1;
    Files.write(file, bytes); // the same identity is passed: only the CRC can tell

    assertThatThrownBy(() -> read(file, info, null))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("fails its CRC32C check");
    assertThat(reads.rememberedCount()).isZero();
  }

  @Test
  void crcsOrAnIdentityThatDoNotFitTheObjectAreNotRemembered() {
    byte[] bytes = bytes();
    ArtifactInfo info = info(bytes);
    VerifiedReads.BlockCrcs crcs = new VerifiedReads.BlockCrcs();
    crcs.update(bytes, 0, bytes.length - VerifiedReads.BLOCK_BYTES); // a block short
    VerifiedReads.Identity smaller = new VerifiedReads.Identity("1:42", bytes.length - 1, 7);

    assertThat(reads.remember(info, dir.resolve("content"), IDENTITY, crcs.finish())).isFalse();
    assertThat(reads.remember(info, dir.resolve("content"), smaller, new int[4])).isFalse();
    assertThat(reads.rememberedCount()).isZero();
  }

  @Test
  void manyReadersOfOneObjectGetExactlyItsBytes() throws Exception {
    byte[] bytes = bytes();
    Path file = Files.write(dir.resolve("content"), bytes);
    ArtifactInfo info = info(bytes);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      Random random = new Random(5);
      for (int i = 0; i < 200; i++) {
        long first = random.nextInt(bytes.length);
        long last = Math.min(bytes.length - 1, first + random.nextInt(3 * 65_536));
        boolean whole = i % 5 == 0;
        results.add(
            pool.submit(
                () ->
                    whole
                        ? Arrays.equals(read(file, info, null), bytes)
                        : Arrays.equals(
                            read(file, info, ByteRange.of(first, last)),
                            Arrays.copyOfRange(bytes, (int) first, (int) last + 1))));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(reads.rememberedCount()).isEqualTo(1);
  }

  private byte[] read(Path file, ArtifactInfo info, ByteRange range) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try (InputStream in = reads.open(info, file, IDENTITY, channel, range)) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes() {
    byte[] bytes = new byte[(int) IDENTITY.size()];
    new Random(1).nextBytes(bytes);
    return bytes;
  }

  private static ArtifactInfo info(byte[] bytes) {
    return new ArtifactInfo(
        PATH,
        ArtifactType.OTHER,
        ContentHash.sha256(bytes),
        bytes.length,
        "application/octet-stream",
        "test",
        Instant.parse("2026-12-07T00:00:00Z"),
        1);
  }
}
