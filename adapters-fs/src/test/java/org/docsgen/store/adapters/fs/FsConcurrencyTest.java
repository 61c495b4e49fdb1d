package org.docsgen.store.adapters.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers in one JVM: no lock is shared between writers (a writer stalled mid-stream holds up
 * nobody, not even writers of its own path), and racing writers of one path get exactly one winner.
 * Waits are bounded only so a regression fails instead of hanging; nothing is timed.
 */
class FsConcurrencyTest {
  private static final long BOUND_SECONDS = 60;

  @TempDir Path temp;
  private FsArtifactStore store;
  private ExecutorService pool;
  private final RunId run = RunId.of(LocalDate.of(2026, 11, 28), 11);

  @BeforeEach
  void setUp() {
    store =
        new FsArtifactStore(temp.resolve("artifacts"), TestContent.tokens(), TestContent.clock());
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private LogicalPath path(String stageAndName) {
    return LogicalPath.parse(run + "/" + stageAndName);
  }

  private static WriteRequest request(LogicalPath p) {
    return WriteRequest.create(p, ArtifactType.OTHER, "application/octet-stream", "tester");
  }

  @Test
  void aStalledWriterBlocksNeitherOtherPathsNorItsOwnPath() throws Exception {
    LogicalPath stalledPath = path("phase1/stalled.bin");
    StallingStream stalled = new StallingStream("stalled".getBytes(StandardCharsets.UTF_8));
    Future<WriteResult> stalledWrite =
        pool.submit(() -> store.write(request(stalledPath), stalled));
    assertThat(stalled.midWrite.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

    // while that writer sits mid-stream, other writers of other paths and of its path complete
    WriteResult other =
        CompletableFuture.supplyAsync(
                () -> store.write(request(path("phase1/other.bin")), bytes("other")), pool)
            .get(BOUND_SECONDS, TimeUnit.SECONDS);
    WriteResult samePath =
        CompletableFuture.supplyAsync(
                () -> store.write(request(stalledPath), bytes("first to finish")), pool)
            .get(BOUND_SECONDS, TimeUnit.SECONDS);
    assertThat(other.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
    assertThat(samePath.outcome()).isEqualTo(WriteResult.Outcome.CREATED);

    // the stalled writer resumes, finds generation 1 holding other bytes and is refused
    stalled.release.countDown();
    assertThatThrownBy(() -> stalledWrite.get(BOUND_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ImmutableException.class)
        .hasMessageContaining(stalledPath.toString());
    assertThat(store.readText(stalledPath)).isEqualTo("first to finish");
    assertThat(RawLayout.stagingEntries(temp.resolve("artifacts"))).isEmpty();
  }

  @Test
  void aStalledWriterOfIdenticalBytesEndsUnchanged() throws Exception {
    LogicalPath p = path("phase1/same.bin");
    StallingStream stalled = new StallingStream("same".getBytes(StandardCharsets.UTF_8));
    Future<WriteResult> stalledWrite = pool.submit(() -> store.write(request(p), stalled));
    assertThat(stalled.midWrite.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
    WriteResult winner = store.write(request(p), bytes("same"));

    stalled.release.countDown();

    WriteResult loser = stalledWrite.get(BOUND_SECONDS, TimeUnit.SECONDS);
    assertThat(loser.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
    assertThat(loser.info()).isEqualTo(winner.info());
  }

  @Test
  void manyThreadsRacingForOnePathGetExactlyOneWinner() throws Exception {
    int writers = 16;
    for (int round = 0; round < 10; round++) {
      LogicalPath p = path("phase2/race-" + round + ".bin");
      boolean sameBytes = round % 2 == 0;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> outcomes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String text = sameBytes ? "same" : "writer " + w;
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return store.write(request(p), bytes(text)).outcome().name();
                  } catch (ImmutableException e) {
                    return "REFUSED";
                  }
                }));
      }
      start.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get(BOUND_SECONDS, TimeUnit.SECONDS));
      }
      assertThat(results).filteredOn("CREATED"::equals).hasSize(1);
      assertThat(results)
          .filteredOn(r -> !r.equals("CREATED"))
          .containsOnly(sameBytes ? "UNCHANGED" : "REFUSED");
      assertThat(store.stat(p, 2)).isEmpty();
    }
  }

  @Test
  void readersRacingWritersSeeNothingOrAWholeVerifiedArtifact() throws Exception {
    int paths = 12;
    int size = 512 * 1024;
    CountDownLatch writersDone = new CountDownLatch(1);
    Future<?> writer =
        pool.submit(
            () -> {
              try {
                for (int i = 0; i < paths; i++) {
                  store.write(
                      request(path("phase1/big-" + i + ".bin")), TestContent.stream("s" + i, size));
                }
              } finally {
                writersDone.countDown();
              }
              return null;
            });
    List<Future<Integer>> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      readers.add(
          pool.submit(
              () -> {
                int complete = 0;
                boolean lastPass;
                do {
                  // the pass that starts after the writer finished sees every path
                  lastPass = writersDone.getCount() == 0;
                  for (int i = 0; i < paths; i++) {
                    LogicalPath p = path("phase1/big-" + i + ".bin");
                    if (store.stat(p).isPresent()) {
                      // a whole read verifies size and SHA-256: a partial artifact would throw
                      assertThat(store.readBinary(p)).isEqualTo(TestContent.bytes("s" + i, size));
                      complete++;
                    }
                  }
                } while (!lastPass);
                return complete;
              }));
    }

    writer.get(BOUND_SECONDS, TimeUnit.SECONDS);
    for (Future<Integer> reader : readers) {
      assertThat(reader.get(BOUND_SECONDS, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(paths);
    }
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Hands out its bytes in two halves and waits for {@code release} in between. */
  private static final class StallingStream extends InputStream {
    final CountDownLatch midWrite = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final byte[] bytes;
    private int position;

    StallingStream(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int half = bytes.length / 2;
      if (position == half && midWrite.getCount() > 0) {
        midWrite.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      if (position >= bytes.length) {
        return -1;
      }
      int end = position < half ? half : bytes.length;
      int n = Math.min(length, end - position);
      System.arraycopy(bytes, position, buffer, offset, n);
      position += n;
      return n;
    }
  }
}
