package org.docsgen.store.adapters.jdbc;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;

/**
 * Binds {@link ManifestStore} on the database {@link JdbcSettings} names (SQLite or PostgreSQL,
 * migrated on first use), and {@link ArtifactStore} on the same database when {@link
 * JdbcSettings#artifactsInDatabase()}. The application binds {@link OverwriteTokens} and {@link
 * Clock}. Both stores implement {@link AutoCloseable}; closing either releases the shared
 * connection pools (do it once, at shutdown).
 */
public final class JdbcModule extends AbstractModule {
  private final JdbcSettings settings;

  public JdbcModule(JdbcSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Override
  protected void configure() {
    bind(JdbcSettings.class).toInstance(settings);
    if (settings.artifactsInDatabase()) {
      install(new ArtifactsInDatabase());
    }
  }

  @Provides
  @Singleton
  JdbcDatabase database(JdbcSettings jdbcSettings) {
    return JdbcDatabase.open(jdbcSettings);
  }

  @Provides
  @Singleton
  ManifestStore manifestStore(JdbcDatabase database) {
    return new JdbcManifestStore(database);
  }

  private static final class ArtifactsInDatabase extends AbstractModule {
    @Provides
    @Singleton
    ArtifactStore artifactStore(JdbcDatabase database, OverwriteTokens tokens, Clock clock) {
      return new JdbcArtifactStore(database, tokens, clock);
    }
  }
}
