package org.docsgen.store.app.http;

import java.nio.file.Path;
import org.docsgen.store.adapters.s3.testing.S3ServerExtension;
import org.docsgen.store.app.http.testing.Backends;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bounded reads on the scaled-out backends: S3 (s3proxy) artifacts, PostgreSQL manifest. */
class PostgresS3BoundedReadsTest extends BoundedReadsContract {
  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();

  @Override
  protected TestServer startServer(Path dir) {
    return Backends.start(Backends.postgresAndS3(dir, S3.server()), dir);
  }
}
