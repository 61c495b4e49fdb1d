package org.docsgen.store.adapters.fs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Path;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.RefusedException;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;

/**
 * A second JVM driving its own {@link FsArtifactStore} over a shared root, for the multi-process
 * tests. Reads commands from stdin, answers one line each on stdout:
 *
 * <ul>
 *   <li>{@code write <path> <seed> <size> [token]} → {@code CREATED|UNCHANGED|OVERWRITTEN
 *       <generation> <hash>}, {@code REFUSED <code>} or {@code ERROR <exception>}
 *   <li>{@code slow <path> [token]} → starts an endless, slow write in the background and answers
 *       {@code streaming <path>} once the first MiB went through; it never finishes
 *   <li>{@code exit}
 * </ul>
 */
public final class StoreProcessMain {
  private StoreProcessMain() {}

  public static void main(String[] args) throws Exception {
    FsArtifactStore store =
        new FsArtifactStore(Path.of(args[0]), TestContent.tokens(), TestContent.clock());
    PrintStream out = new PrintStream(System.out, true, UTF_8);
    out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.split(" ");
      switch (words[0]) {
        case "write" -> out.println(write(store, words));
        case "slow" -> startSlowWrite(store, words, out);
        case "exit" -> System.exit(0);
        default -> out.println("ERROR unknown command " + words[0]);
      }
    }
  }

  private static String write(FsArtifactStore store, String[] words) {
    LogicalPath path = LogicalPath.parse(words[1]);
    WriteRequest request = request(path, words.length > 4 ? words[4] : null);
    try {
      WriteResult result =
          store.write(request, TestContent.stream(words[2], Integer.parseInt(words[3])));
      return result.outcome() + " " + result.info().generation() + " " + result.info().hash();
    } catch (RefusedException e) {
      return "REFUSED " + e.code();
    } catch (RuntimeException e) {
      return "ERROR " + e;
    }
  }

  private static void startSlowWrite(FsArtifactStore store, String[] words, PrintStream out) {
    LogicalPath path = LogicalPath.parse(words[1]);
    WriteRequest request = request(path, words.length > 2 ? words[2] : null);
    Thread writer =
        new Thread(
            () -> {
              try {
                store.write(request, new SlowStream(() -> out.println("streaming " + path)));
                out.println("ERROR the endless write finished");
              } catch (RuntimeException e) {
                out.println("ERROR " + e);
              }
            });
    writer.start();
  }

  private static WriteRequest request(LogicalPath path, String token) {
    WriteRequest request =
        WriteRequest.create(path, ArtifactType.OTHER, "application/octet-stream", "child");
    return token == null ? request : request.withToken(token);
  }

  /** Endless content: 1 MiB at once, then 64 KiB every 20 ms, until the process is killed. */
  private static final class SlowStream extends InputStream {
    private static final int FAST_BYTES = 1024 * 1024;
    private final Runnable onStreaming;
    private long sent;
    private boolean announced;

    SlowStream(Runnable onStreaming) {
      this.onStreaming = onStreaming;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (sent >= FAST_BYTES) {
        if (!announced) {
          announced = true;
          onStreaming.run();
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int n = Math.min(length, 64 * 1024);
      java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'z');
      sent += n;
      return n;
    }
  }
}
