package org.docsgen.store.adapters.fs;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;

/**
 * Binds {@link ArtifactStore} to the filesystem store under {@link FsSettings#root()}. The
 * application binds {@link OverwriteTokens} and {@link Clock}.
 */
public final class FsArtifactModule extends AbstractModule {
  private final FsSettings settings;

  public FsArtifactModule(FsSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Provides
  @Singleton
  ArtifactStore artifactStore(OverwriteTokens tokens, Clock clock) {
    return new FsArtifactStore(settings.root(), tokens, clock);
  }
}
