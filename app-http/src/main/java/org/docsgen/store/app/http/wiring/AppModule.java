package org.docsgen.store.app.http.wiring;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.adapters.fs.FsArtifactModule;
import org.docsgen.store.adapters.fs.FsSettings;
import org.docsgen.store.adapters.jdbc.JdbcModule;
import org.docsgen.store.adapters.jdbc.JdbcSettings;
import org.docsgen.store.adapters.s3.S3ArtifactModule;
import org.docsgen.store.adapters.s3.S3Settings;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.json.JacksonJsonParser;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.service.DocsGenServices;
import org.docsgen.store.ports.service.ServiceLimits;

/**
 * The application's bindings: the adapters' modules chosen by configuration ({@code
 * artifacts.backend} fs | s3 | jdbc; the manifest database by its URL, SQLite or PostgreSQL), and
 * what they expect the application to bind — {@link Clock}, {@link OverwriteTokens}, {@link
 * BundleSigner} — plus {@link DocsGenServices} over them.
 */
public final class AppModule extends AbstractModule {
  private final ServerConfig config;
  private final SigningKeys keys;
  private final Clock clock;

  public AppModule(ServerConfig config, SigningKeys keys, Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.keys = requireNonNull(keys, "keys is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  protected void configure() {
    for (Module module : backendModules(config)) {
      install(module);
    }
  }

  /** The adapter modules {@code config} selects. */
  public static List<Module> backendModules(ServerConfig config) {
    List<Module> modules = new ArrayList<>();
    ServerConfig.Manifest manifest = config.manifest();
    boolean blobsInDatabase = config.artifacts().backend() == ServerConfig.Backend.JDBC;
    modules.add(
        new JdbcModule(
            new JdbcSettings(
                manifest.url(),
                manifest.user(),
                manifest.password(),
                manifest.maxPoolSize(),
                blobsInDatabase)));
    switch (config.artifacts().backend()) {
      case FS -> modules.add(new FsArtifactModule(new FsSettings(config.artifacts().fsRoot())));
      case S3 -> modules.add(new S3ArtifactModule(s3Settings(config)));
      case JDBC -> {
        // the JDBC module binds the ArtifactStore itself
      }
    }
    return modules;
  }

  static S3Settings s3Settings(ServerConfig config) {
    ServerConfig.S3 s3 = config.artifacts().s3();
    return S3Settings.builder()
        .bucket(s3.bucket())
        .prefix(s3.prefix())
        .endpoint(s3.endpoint())
        .region(s3.region())
        .pathStyle(s3.pathStyle())
        .checksumsWhenRequired(s3.checksumsWhenRequired())
        .maxArtifactBytes(config.server().maxArtifactBytes())
        .build();
  }

  @Provides
  @Singleton
  Clock clock() {
    return clock;
  }

  @Provides
  @Singleton
  OverwriteTokens overwriteTokens(Clock clock) {
    return new OverwriteTokens(keys.overwriteTokenKey(), clock);
  }

  @Provides
  @Singleton
  BundleSigner bundleSigner() {
    return keys.signer();
  }

  @Provides
  @Singleton
  DocsGenServices services(
      ArtifactStore artifacts,
      ManifestStore manifest,
      OverwriteTokens tokens,
      BundleSigner signer,
      Clock clock) {
    return new DocsGenServices(
        artifacts, manifest, tokens, signer, JacksonJsonParser.INSTANCE, clock, limits(config));
  }

  /** The bounds on one request's work, from {@code server.maxPreviewBytes} and {@code diff.*}. */
  static ServiceLimits limits(ServerConfig config) {
    return new ServiceLimits(config.server().maxPreviewBytes(), config.diff().maxTextBytes());
  }
}
