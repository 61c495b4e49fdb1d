package org.docsgen.store.app.http.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server on the embedded default ({@link TestServer#embedded(Path)}) for a test class, in a
 * temporary directory of its own, registered on a static field ({@code @RegisterExtension static
 * final EmbeddedServerExtension EMBEDDED = new EmbeddedServerExtension();}): started before the
 * class's {@code @BeforeAll} methods, closed (and its directory deleted) after its
 * {@code @AfterAll} methods. Tests of the class share its data.
 */
public final class EmbeddedServerExtension implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private TestServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (server == null) {
      dir = Files.createTempDirectory("docsgen-embedded-");
      server = TestServer.embedded(dir);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      server = null;
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
        dir = null;
      }
    }
  }

  /** The running server; only while its test class runs. */
  public TestServer server() {
    if (server == null) {
      throw new IllegalStateException("the embedded server runs only while its test class runs");
    }
    return server;
  }

  /** The server's API client. */
  public Api api() {
    return server().api();
  }
}
