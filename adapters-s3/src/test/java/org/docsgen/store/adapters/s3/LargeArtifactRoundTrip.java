package org.docsgen.store.adapters.s3;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;
import org.docsgen.store.adapters.s3.testing.S3ServerFixture;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.contract.ContractSupport;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.out.WriteRequest;

/**
 * Streams one large generated artifact (default 1 GiB) up into the S3 store and back down through a
 * verified read, against an in-process s3proxy, and prints the times and the peak heap. Meant to
 * run in a small heap ({@code -Xmx128m}) to show that memory does not grow with the artifact. Not a
 * test: run it by hand (command in docs/benchmarks.md).
 */
public final class LargeArtifactRoundTrip {
  private LargeArtifactRoundTrip() {}

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    long size = mib * 1024 * 1024;
    AtomicLong sampledPeak = new AtomicLong();
    Thread sampler = startHeapSampler(sampledPeak);
    try (S3ServerFixture server = S3ServerFixture.startServer()) {
      String bucket = server.newBucket();
      S3Settings settings = server.settings(bucket).toBuilder().maxArtifactBytes(size + 1).build();
      Clock clock = Clock.systemUTC();
      try (S3ArtifactStore store =
          S3ArtifactStore.start(settings, new OverwriteTokens(new byte[32], clock), clock)) {
        LogicalPath path =
            LogicalPath.parse(RunId.of(LocalDate.now(clock), 1) + "/phase1/large.bin");
        resetPoolPeaks();

        long t0 = System.nanoTime();
        ArtifactInfo info =
            store
                .write(
                    WriteRequest.create(path, ArtifactType.OTHER, MediaTypes.OCTET_STREAM, "bench"),
                    new ContractSupport.GeneratedInputStream(1, size))
                .info();
        long t1 = System.nanoTime();
        ContentHash read = readVerified(store, path);
        long t2 = System.nanoTime();

        System.out.printf(
            "size=%d MiB parts=%d MiB maxHeap=%d MiB%n"
                + "write: %.1f s (%.0f MiB/s, spool + hash + multipart upload)%n"
                + "read:  %.1f s (%.0f MiB/s, verified)%n"
                + "hash ok: %s (%s)%n"
                + "peak heap: %d MiB (sum of heap pool peaks), %d MiB (sampled every 20 ms)%n",
            mib,
            settings.partSizeBytes() / (1024 * 1024),
            Runtime.getRuntime().maxMemory() / (1024 * 1024),
            seconds(t1 - t0),
            mib / seconds(t1 - t0),
            seconds(t2 - t1),
            mib / seconds(t2 - t1),
            read.equals(info.hash()),
            info.hash(),
            poolPeaks() / (1024 * 1024),
            sampledPeak.get() / (1024 * 1024));
      }
    } finally {
      sampler.interrupt();
    }
  }

  private static ContentHash readVerified(S3ArtifactStore store, LogicalPath path)
      throws Exception {
    MessageDigest digest = ContentHash.newDigest();
    byte[] buffer = new byte[64 * 1024];
    try (ArtifactContent content = store.open(ReadRequest.latest(path))) {
      InputStream in = content.stream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    }
    return ContentHash.ofDigest(digest.digest());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static Thread startHeapSampler(AtomicLong peak) {
    Thread sampler =
        new Thread(
            () -> {
              var memory = ManagementFactory.getMemoryMXBean();
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    return sampler;
  }

  private static void resetPoolPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long poolPeaks() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
