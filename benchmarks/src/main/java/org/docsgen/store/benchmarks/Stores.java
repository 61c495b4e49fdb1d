package org.docsgen.store.benchmarks;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.adapters.fs.FsArtifactModule;
import org.docsgen.store.adapters.fs.FsSettings;
import org.docsgen.store.adapters.jdbc.JdbcModule;
import org.docsgen.store.adapters.jdbc.JdbcSettings;
import org.docsgen.store.app.http.json.JacksonJsonParser;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.service.DocsGenServices;

/**
 * Opens the stores the way the server does (app-http's AppModule): Guice over {@link JdbcModule}
 * for the manifest (SQLite file or PostgreSQL, migrated by Flyway on open) and, when asked, {@link
 * FsArtifactModule} for the artifact bytes, then {@link DocsGenServices} on top with a fresh
 * signing key and overwrite-token key.
 */
final class Stores implements AutoCloseable {
  final ManifestStore manifest;
  final ArtifactStore artifacts;
  final DocsGenServices services;

  private Stores(ManifestStore manifest, ArtifactStore artifacts, DocsGenServices services) {
    this.manifest = manifest;
    this.artifacts = artifacts;
    this.services = services;
  }

  /** The manifest on {@code settings}, and the filesystem artifact store under {@code fsRoot}. */
  static Stores open(JdbcSettings settings, Path fsRoot) {
    Clock clock = Clock.systemUTC();
    byte[] tokenKey = new byte[32];
    new SecureRandom().nextBytes(tokenKey);
    OverwriteTokens tokens = new OverwriteTokens(tokenKey, clock);
    List<com.google.inject.Module> modules = new ArrayList<>();
    modules.add(new JdbcModule(settings));
    modules.add(new FsArtifactModule(new FsSettings(fsRoot)));
    modules.add(
        new AbstractModule() {
          @Provides
          @Singleton
          Clock clock() {
            return clock;
          }

          @Provides
          @Singleton
          OverwriteTokens tokens() {
            return tokens;
          }
        });
    Injector injector = Guice.createInjector(modules);
    ManifestStore manifest = injector.getInstance(ManifestStore.class);
    ArtifactStore artifacts = injector.getInstance(ArtifactStore.class);
    DocsGenServices services =
        new DocsGenServices(
            artifacts,
            manifest,
            tokens,
            new BundleSigner(BundleSigner.generate()),
            JacksonJsonParser.INSTANCE,
            clock);
    return new Stores(manifest, artifacts, services);
  }

  /** SQLite settings for the file {@code db}: no credentials, 4 readers, manifest only. */
  static JdbcSettings sqlite(Path db) {
    return new JdbcSettings("jdbc:sqlite:" + db.toAbsolutePath(), null, null, 4, false);
  }

  @Override
  public void close() throws Exception {
    // closing the manifest closes the shared pools (JdbcModule)
    if (manifest instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
