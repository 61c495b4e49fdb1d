package org.docsgen.store.adapters.s3;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;

/**
 * Binds {@link ArtifactStore} to the S3 store. The application binds {@link OverwriteTokens} and
 * {@link Clock}. Creating the store probes the endpoint: it fails with {@code
 * BackendUnavailableException} when the endpoint or bucket cannot be reached, and with {@code
 * IllegalStateException} when the endpoint ignores {@code If-None-Match: *} while {@link
 * S3Settings#requireConditionalWrites()} is set. The bound instance is also {@link AutoCloseable}
 * (closes the SDK client).
 */
public final class S3ArtifactModule extends AbstractModule {
  private final S3Settings settings;

  public S3ArtifactModule(S3Settings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Provides
  @Singleton
  ArtifactStore artifactStore(OverwriteTokens tokens, Clock clock) {
    return S3ArtifactStore.start(settings, tokens, clock);
  }
}
