package org.docsgen.store.app.http;

import java.nio.file.Path;
import org.docsgen.store.app.http.testing.TestServer;

/** Bounded reads on the embedded default: filesystem artifacts, SQLite manifest. */
class EmbeddedBoundedReadsTest extends BoundedReadsContract {
  @Override
  protected TestServer startServer(Path dir) {
    return TestServer.embedded(dir);
  }
}
