package org.docsgen.store.app.http.wiring;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.util.Modules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.docsgen.store.adapters.jdbc.JdbcSettings;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.service.DocsGenServices;

/**
 * The one way from configuration to open stores, for the server ({@link ServerWiring}) and for
 * every local command of app-cli alike: creates the local directories the configuration names,
 * loads the signing keys, creates the injector over {@link AppModule}, opens both stores and the
 * services over them; {@link #close()} closes the stores. Failures surface as their root cause (a
 * {@link ConfigException}, a port exception of the backend, ...), never as Guice's wrappers.
 */
public final class Bootstrap implements AutoCloseable {
  private final ServerConfig config;
  private final Injector injector;
  private final DocsGenServices services;

  private Bootstrap(ServerConfig config, Injector injector, DocsGenServices services) {
    this.config = config;
    this.injector = injector;
    this.services = services;
  }

  /** Opens the stores {@code config} names, on the UTC clock. */
  public static Bootstrap open(ServerConfig config) {
    return open(config, Clock.systemUTC(), List.of());
  }

  /**
   * Opens the stores with {@code overrides} replacing bindings of the configured modules (tests
   * bind, for example, an S3 store with the fixture's credentials).
   */
  public static Bootstrap open(ServerConfig config, Clock clock, List<Module> overrides) {
    prepareDirectories(config);
    Module app = new AppModule(config, SigningKeys.load(config.signing()), clock);
    Injector injector;
    try {
      injector =
          Guice.createInjector(overrides.isEmpty() ? app : Modules.override(app).with(overrides));
    } catch (CreationException e) {
      throw rootCause(e, e.getErrorMessages().iterator().next().getCause());
    }
    try {
      injector.getInstance(ManifestStore.class);
      injector.getInstance(ArtifactStore.class);
      return new Bootstrap(config, injector, injector.getInstance(DocsGenServices.class));
    } catch (ProvisionException e) {
      closeStores(injector);
      throw rootCause(e, e.getErrorMessages().iterator().next().getCause());
    }
  }

  public ServerConfig config() {
    return config;
  }

  public DocsGenServices services() {
    return services;
  }

  public ArtifactStore artifacts() {
    return injector.getInstance(ArtifactStore.class);
  }

  public ManifestStore manifest() {
    return injector.getInstance(ManifestStore.class);
  }

  /** Closes the stores (pools, clients); each once, even where one object is both. */
  @Override
  public void close() {
    closeStores(injector);
  }

  private static void closeStores(Injector injector) {
    Object closed = null;
    for (Class<?> type : List.of(ArtifactStore.class, ManifestStore.class)) {
      try {
        Object instance = injector.getInstance(type);
        if (instance instanceof AutoCloseable closeable && instance != closed) {
          closed = instance;
          closeable.close();
        }
      } catch (Exception ignored) {
        // not created or already failing: nothing to release
      }
    }
  }

  private static RuntimeException rootCause(RuntimeException wrapper, Throwable cause) {
    Throwable root = cause == null ? wrapper : cause;
    while (root.getCause() != null
        && root.getCause() != root
        && root instanceof ProvisionException) {
      root = root.getCause();
    }
    if (root instanceof RuntimeException runtime) {
      return runtime;
    }
    return root instanceof IOException io
        ? new UncheckedIOException(io.getMessage(), io)
        : new IllegalStateException(root.getMessage(), root);
  }

  /**
   * Creates the parent directories of the local files the configuration names, each fsynced in its
   * parent so a power cut cannot take back a directory that acknowledged data lives in.
   */
  private static void prepareDirectories(ServerConfig config) {
    try {
      if (config.artifacts().backend() == ServerConfig.Backend.FS) {
        DurableDirectories.create(config.artifacts().fsRoot());
      }
      DurableDirectories.create(config.signing().keyFile().toAbsolutePath().getParent());
      Path parent =
          JdbcSettings.sqliteFile(config.manifest().url())
              .map(file -> file.toAbsolutePath().getParent())
              .orElse(null);
      if (parent != null) {
        DurableDirectories.create(parent);
      }
    } catch (IOException e) {
      throw new ConfigException("artifacts.fs.root", "cannot create the data directories: " + e);
    }
  }
}
