package org.docsgen.store.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.stream.DigestingInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The content hash every write and read computes: SHA-256 through the project's {@link
 * DigestingInputStream} (the stores' copy loop: a 64 KiB buffer, hashing in the same pass), the
 * one-shot {@link ContentHash#sha256(byte[])}, and CRC32C of the same bytes for scale (what a
 * cheaper integrity check would cost). Report in MiB/s: bytes / (score µs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HashingBenchmark {
  /** 16 KiB (a typical markdown file) and 1 MiB. */
  @Param({"16384", "1048576"})
  public int size;

  private byte[] data;
  private final byte[] buffer = new byte[64 * 1024];

  @Setup
  public void setUp() {
    data = new byte[size];
    new Random(42).nextBytes(data);
  }

  @Benchmark
  public ContentHash sha256DigestingStream() throws IOException {
    try (DigestingInputStream in = new DigestingInputStream(new ByteArrayInputStream(data))) {
      while (in.read(buffer) > 0) {
        // the stores write the buffer out here
      }
      return in.hash();
    }
  }

  @Benchmark
  public ContentHash sha256OneShot() {
    return ContentHash.sha256(data);
  }

  @Benchmark
  public long crc32c() {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length);
    return crc.getValue();
  }
}
