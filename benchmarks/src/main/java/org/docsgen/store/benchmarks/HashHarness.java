package org.docsgen.store.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.stream.DigestingInputStream;

/**
 * SHA-256 of one large file: the project's streaming hash ({@link DigestingInputStream} over the
 * file, read with the stores' 64 KiB buffer) against {@code sha256sum} of the same file.
 *
 * <pre>
 * java -cp benchmarks.jar org.docsgen.store.benchmarks.HashHarness [SIZE] [RUNS] [DIR]
 * </pre>
 *
 * SIZE defaults to {@code 1g} (binary units: {@code 64m}, {@code 1g}); RUNS (default 3) timed runs
 * of each after one warm-up run of each (which also brings the file into the page cache); the file
 * is written under DIR (default {@code java.io.tmpdir}) and deleted afterwards. Prints the medians
 * in MiB/s and the ratio; both digests must agree.
 */
public final class HashHarness {
  private static final int BUFFER = 64 * 1024;

  private HashHarness() {}

  public static void main(String[] args) throws Exception {
    long size = args.length > 0 ? Stats.parseSize(args[0]) : 1024L * 1024 * 1024;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir =
        Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir")).toAbsolutePath();
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "docsgen-bench-hash-", ".bin");
    try {
      write(file, size);
      System.out.printf(
          Locale.ROOT,
          "hash harness: %,d bytes (%.0f MiB) in %s, %d runs after 1 warm-up, medians%n",
          size,
          size / 1048576.0,
          file,
          runs);
      String ours = null;
      String theirs = null;
      long[] project = new long[runs];
      long[] coreutils = new long[runs];
      for (int i = -1; i < runs; i++) {
        long t0 = System.nanoTime();
        ours = projectHash(file);
        long t1 = System.nanoTime();
        theirs = sha256sum(file);
        long t2 = System.nanoTime();
        if (i >= 0) {
          project[i] = t1 - t0;
          coreutils[i] = t2 - t1;
        }
      }
      if (!ours.equals(theirs)) {
        throw new IllegalStateException("digests differ: " + ours + " vs sha256sum " + theirs);
      }
      long p = Stats.median(project);
      long c = Stats.median(coreutils);
      System.out.printf(
          Locale.ROOT,
          "DigestingInputStream (64 KiB reads): %s  %s%n",
          Stats.millis(p),
          Stats.mibPerSecond(size, p));
      System.out.printf(
          Locale.ROOT,
          "sha256sum                          : %s  %s%n",
          Stats.millis(c),
          Stats.mibPerSecond(size, c));
      System.out.printf(
          Locale.ROOT,
          "ratio project time / sha256sum time: %s (digest %s)%n",
          Stats.ratio(p, c),
          ours);
      System.out.println("java: " + Runtime.version() + ", " + System.getProperty("java.vm.name"));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Pseudo-random bytes (SHA-256's speed does not depend on them), 1 MiB block varied per MiB. */
  private static void write(Path file, long size) throws IOException {
    byte[] block = new byte[1024 * 1024];
    new Random(7).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0, n = 0; written < size; n++) {
        block[(int) (n % block.length)] ^= (byte) n;
        int len = (int) Math.min(block.length, size - written);
        out.write(block, 0, len);
        written += len;
      }
    }
  }

  private static String projectHash(Path file) throws IOException {
    byte[] buffer = new byte[BUFFER];
    try (DigestingInputStream in = new DigestingInputStream(Files.newInputStream(file))) {
      while (in.read(buffer) > 0) {
        // a store writes the buffer on here
      }
      ContentHash hash = in.hash();
      return hash.hex();
    }
  }

  private static String sha256sum(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of("sha256sum", file.toString())).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("sha256sum exited with " + p.exitValue());
    }
    return out.substring(0, 64);
  }
}
