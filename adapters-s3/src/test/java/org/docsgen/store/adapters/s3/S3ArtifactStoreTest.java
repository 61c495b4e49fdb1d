package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.docsgen.store.adapters.s3.testing.S3ServerExtension;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.contract.ArtifactStoreContract;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The port contract against a real s3proxy, the store built through {@link S3ArtifactModule}. Each
 * test gets a bucket of its own; a key prefix is set so that prefix handling is exercised.
 */
class S3ArtifactStoreTest extends ArtifactStoreContract {
  /** Small enough that the contract's large artifact goes up in three parts. */
  private static final long MULTIPART_THRESHOLD = 6L * 1024 * 1024;

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension();
  private String bucket;

  @Override
  protected ArtifactStore createStore(OverwriteTokens tokens, Clock clock) {
    bucket = S3.server().newBucket();
    S3Settings settings =
        S3.server().settings(bucket).toBuilder()
            .prefix("docsgen")
            .multipartThresholdBytes(MULTIPART_THRESHOLD)
            .partSizeBytes(S3Settings.MIN_PART_SIZE)
            .build();
    return Guice.createInjector(
            new S3ArtifactModule(settings),
            binder -> {
              binder.bind(OverwriteTokens.class).toInstance(tokens);
              binder.bind(Clock.class).toInstance(clock);
            })
        .getInstance(ArtifactStore.class);
  }

  @Override
  protected void assertBackendEmpty() {
    assertThat(S3.server().rawClient().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
  }

  @Override
  protected void assertNoBytesLeft(LogicalPath path, int generation) {
    String prefix = ((S3ArtifactStore) store).keys().versionsPrefix(path);
    assertThat(
            S3.server().rawClient().listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents())
        .extracting(o -> o.key())
        .noneMatch(key -> key.startsWith(prefix + String.format("%010d/", generation)));
  }

  @Override
  protected void tamper(LogicalPath path, int generation) {
    ArtifactInfo info = store.stat(path, generation).orElseThrow();
    String key = ((S3ArtifactStore) store).keys().contentKey(path, generation, info.hash());
    HeadObjectResponse head = S3.server().rawClient().headObject(b -> b.bucket(bucket).key(key));
    byte[] bytes =
        S3.server().rawClient().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    if (bytes.length == 0) {
      bytes = new byte[] {'x'};
    } else {
      bytes[0] ^= 0x01;
    }
    Map<String, String> metadata = new HashMap<>(head.metadata());
    S3.server()
        .rawClient()
        .putObject(b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(bytes));
  }

  /**
   * s3proxy answers a second sequential {@code If-None-Match: *} put with 412, but its conditional
   * puts are not atomic under concurrency (STACK.md: 16 concurrent creates of one key gave more
   * than one 200 in most rounds), so two racing writers can both create one generation here. No
   * bytes are lost (each candidate has its own key) and every reader resolves the same claim; see
   * S3RaceTest. AWS S3 makes conditional puts atomic.
   */
  @Override
  protected boolean supportsAtomicCreate() {
    return false;
  }

  @Override
  protected long largeContentSize() {
    return 2 * S3Settings.MIN_PART_SIZE + 12_345;
  }

  @Override
  protected void closeStore() {
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
