package org.docsgen.store.app.http;

import com.google.inject.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.docsgen.store.adapters.s3.testing.S3ServerExtension;
import org.docsgen.store.app.http.testing.Backends;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writes decided where they commit, on the scaled-out backends: PostgreSQL manifest, S3. */
class PostgresS3WriteCommitTest extends WriteCommitContract {
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
  private Set<Path> spoolsBefore = Set.of();

  @Override
  protected TestServer startServer(Path dir, Clock clock, List<Module> overrides) {
    return TestServer.start(Backends.postgresAndS3(dir, S3.server()), overrides, dir, clock);
  }

  @Override
  protected void beforeUpload() throws IOException {
    spoolsBefore = spools();
  }

  /**
   * The S3 store spools a body to a {@code docsgen-s3-*.spool} file in the temporary directory
   * while hashing it; a new one appears when this upload's body is being read.
   */
  @Override
  protected void awaitStreaming(String path) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      Set<Path> now = spools();
      now.removeAll(spoolsBefore);
      if (!now.isEmpty()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the upload of " + path + " never reached the S3 spool");
  }

  private static Set<Path> spools() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("docsgen-s3-"))
          .collect(Collectors.toSet());
    }
  }
}
