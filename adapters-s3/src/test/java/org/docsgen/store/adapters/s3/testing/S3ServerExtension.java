package org.docsgen.store.adapters.s3.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One s3proxy server for a test class, registered on a static field ({@code @RegisterExtension
 * static final S3ServerExtension S3 = new S3ServerExtension();}): started before the class's
 * {@code @BeforeAll} methods by {@link S3ServerFixture#startForTests()} (so the class is skipped
 * when it cannot start, and fails with {@code CI=true}), closed after its {@code @AfterAll}
 * methods. Nested classes share their enclosing class's server.
 */
public final class S3ServerExtension implements BeforeAllCallback, AfterAllCallback {
  private S3ServerFixture server;
  private Class<?> owner;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (server == null) {
      server = S3ServerFixture.startForTests();
      owner = context.getRequiredTestClass();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null && context.getRequiredTestClass() == owner) {
      S3ServerFixture started = server;
      server = null;
      started.close();
    }
  }

  /** The running server; only between the class's first and last test callbacks. */
  public S3ServerFixture server() {
    if (server == null) {
      throw new IllegalStateException("the S3 server runs only while its test class runs");
    }
    return server;
  }
}
