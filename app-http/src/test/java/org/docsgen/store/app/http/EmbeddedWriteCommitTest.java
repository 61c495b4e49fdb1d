package org.docsgen.store.app.http;

import com.google.inject.Module;
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
   * The filesystem store streams a body into a {@code ~tmp-*} file in the deepest folder of the
   * artifact's path that already exists (missing folders are made only once the body has arrived).
   */
  @Override
  protected void awaitStreaming(String path) throws Exception {
    Path artifacts = server.dataDir().resolve("artifacts");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(artifacts)) {
        try (Stream<Path> entries = Files.walk(artifacts)) {
          if (entries.anyMatch(p -> p.getFileName().toString().startsWith("~tmp-"))) {
            return;
          }
        } catch (UncheckedIOException raced) {
          // a staging file vanished while the tree was walked: look again
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the upload of " + path + " never reached the artifact store");
  }
}
