package org.docsgen.store.app.http;

import java.nio.file.Path;
import org.docsgen.store.app.http.testing.TestServer;

/** The core flow on the embedded default: filesystem artifacts, SQLite manifest. */
class EmbeddedCoreFlowTest extends CoreFlowContract {
  @Override
  protected TestServer startServer(Path dir) {
    return TestServer.embedded(dir);
  }
}
