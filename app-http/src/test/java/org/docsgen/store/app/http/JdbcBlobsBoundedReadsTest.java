package org.docsgen.store.app.http;

import java.nio.file.Path;
import org.docsgen.store.app.http.testing.Backends;
import org.docsgen.store.app.http.testing.TestServer;

/** Bounded reads with the artifact blobs in the (SQLite) manifest database. */
class JdbcBlobsBoundedReadsTest extends BoundedReadsContract {
  @Override
  protected TestServer startServer(Path dir) {
    return Backends.start(Backends.jdbcBlobsOnSqlite(dir), dir);
  }
}
