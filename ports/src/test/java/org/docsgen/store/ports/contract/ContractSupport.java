package org.docsgen.store.ports.contract;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.docsgen.store.domain.artifact.ContentHash;

/** Helpers the contract suites share: races, generated content, digests. */
public final class ContractSupport {
  private ContractSupport() {}

  /** What one racer got: a result or the exception it threw. */
  public record Outcome<T>(int racer, T result, Throwable failure) {
    public boolean succeeded() {
      return failure == null;
    }
  }

  /**
   * Runs {@code racers} tasks that start together (released by one latch) and waits for all of
   * them. A safety timeout only keeps a hung backend from hanging the build; nothing asserts time.
   */
  public static <T> List<Outcome<T>> race(int racers, IntFunction<Callable<T>> task)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      CountDownLatch ready = new CountDownLatch(racers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Callable<T> callable = task.apply(i);
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return callable.call();
                }));
      }
      ready.await();
      go.countDown();
      List<Outcome<T>> outcomes = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        try {
          outcomes.add(new Outcome<>(i, futures.get(i).get(5, TimeUnit.MINUTES), null));
        } catch (ExecutionException e) {
          outcomes.add(new Outcome<>(i, null, e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
          throw new AssertionError("racer " + i + " did not finish", e);
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static MessageDigest sha256() {
    try {
      // the JDK's own digest, deliberately not ContentHash.newDigest(): the suite checks the store
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deterministic pseudo-random bytes. */
  public static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  /** The JDK's SHA-256 over a stream, read in chunks (never the whole content in memory). */
  public static ContentHash jdkSha256(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
    }
    return ContentHash.ofDigest(digest.digest());
  }

  /** The JDK's SHA-256 over bytes. */
  public static ContentHash jdkSha256(byte[] bytes) {
    return ContentHash.ofDigest(sha256().digest(bytes));
  }

  /**
   * {@code size} pseudo-random bytes generated on the fly from {@code seed}: the same seed gives
   * the same stream, and nothing is held in memory.
   */
  public static final class GeneratedInputStream extends InputStream {
    private final SplittableRandom random;
    private long remaining;

    public GeneratedInputStream(long seed, long size) {
      this.random = new SplittableRandom(seed);
      this.remaining = size;
    }

    @Override
    public int read() {
      if (remaining <= 0) {
        return -1;
      }
      remaining--;
      return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      remaining -= n;
      return n;
    }
  }

  /**
   * An input stream of {@code goodBytes} bytes that then fails: with an {@link IOException} (the
   * caller's source broke, e.g. a client that went away), or with a given unchecked exception (a
   * caller's stream that refuses the content itself).
   */
  public static final class FailingInputStream extends InputStream {
    private final RuntimeException unchecked;
    private long remaining;

    public FailingInputStream(long goodBytes) {
      this(goodBytes, null);
    }

    public FailingInputStream(long goodBytes, RuntimeException unchecked) {
      this.remaining = goodBytes;
      this.unchecked = unchecked;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        throw failure();
      }
      remaining--;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (remaining <= 0) {
        throw failure();
      }
      int n = (int) Math.min(len, remaining);
      java.util.Arrays.fill(b, off, off + n, (byte) 'x');
      remaining -= n;
      return n;
    }

    private IOException failure() {
      if (unchecked != null) {
        throw unchecked;
      }
      return new IOException("the client went away");
    }
  }
}
