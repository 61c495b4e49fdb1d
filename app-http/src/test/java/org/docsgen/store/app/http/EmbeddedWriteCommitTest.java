package org.docsgen.store.app.http;

import com.google.inject.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.docsgen.store.app.http.testing.TestServer;

/** Writes decided where they commit, on the embedded default (filesystem + SQLite). */
class EmbeddedWriteCommitTest extends WriteCommitContract {
  @Override
  protected TestServer startServer(Path dir, Clock clock, List<Module> overrides) {
    return TestServer.embedded(dir, "", clock, overrides);
  }

  /**
   * The filesystem store reads a body of up to 64 KiB into memory to pack it (no file appears until
   * it has arrived in full) and streams a longer one into a {@code ~tmp-*} file in the deepest
   * folder of the artifact's path that already exists (missing folders are made only once the body
   * has arrived). Either is seen on the backend: a server thread inside {@code
   * FsArtifactStore.write} while the body is still outstanding, or the staging file.
   */
  @Override
  protected void awaitStreaming(String path) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (aThreadIsWritingToTheStore() || aBodyIsStaged()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the upload of " + path + " never reached the artifact store");
  }

  /** A {@code ~tmp-*} staging file exists below the artifact root. */
  protected boolean aBodyIsStaged() throws IOException {
    Path artifacts = server.dataDir().resolve("artifacts");
    if (Files.isDirectory(artifacts)) {
      try (Stream<Path> entries = Files.walk(artifacts)) {
        return entries.anyMatch(p -> p.getFileName().toString().startsWith("~tmp-"));
      } catch (UncheckedIOException raced) {
        // a staging file vanished while the tree was walked: look again
      }
    }
    return false;
  }

  /** The embedded server runs in this JVM: one of its threads is in the store's write. */
  private static boolean aThreadIsWritingToTheStore() {
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().equals(FS_STORE) && frame.getMethodName().equals("write")) {
          return true;
        }
      }
    }
    return false;
  }

  private static final String FS_STORE = "org.docsgen.store.adapters.fs.FsArtifactStore";
}
