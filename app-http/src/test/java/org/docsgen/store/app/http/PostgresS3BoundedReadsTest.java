package org.docsgen.store.app.http;

import java.nio.file.Path;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.adapters.s3.testing.S3ServerFixture;
import org.docsgen.store.app.http.testing.Backends;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Bounded reads on the scaled-out backends: S3 (s3proxy) artifacts, PostgreSQL manifest. */
class PostgresS3BoundedReadsTest extends BoundedReadsContract {
  private static S3ServerFixture s3;

  @BeforeAll
  static void startS3() {
    s3 = S3ServerFixture.startForTests();
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  protected TestServer startServer(Path dir) {
    return Backends.start(
        Backends.postgresAndS3(dir, s3, s3.newBucket(), PostgresFixture.newSchema()), dir);
  }
}
