package org.docsgen.store.app.http;

/**
 * {@link EmbeddedWriteCommitTest} with streamed bodies over the filesystem store's 64 KiB packing
 * threshold: each is staged in a {@code ~tmp-*} file (awaited as such) and published as a
 * generation directory, so late uploads are refused, and left to fsck as orphans, on that path too.
 */
class EmbeddedLargeBodyWriteCommitTest extends EmbeddedWriteCommitTest {
  private static final String PREFIX = "<!-- padding -->\n".repeat(4_000); // 68 000 bytes

  @Override
  protected String streamedBodyPrefix() {
    return PREFIX;
  }

  @Override
  protected void awaitStreaming(String path) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (aBodyIsStaged()) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the upload of " + path + " was never staged in a ~tmp- file");
  }
}
