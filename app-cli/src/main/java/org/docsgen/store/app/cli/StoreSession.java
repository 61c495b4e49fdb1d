package org.docsgen.store.app.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.wiring.AppModule;
import org.docsgen.store.app.http.wiring.SigningKeys;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.service.DocsGenServices;

/**
 * The stores and services of one CLI invocation, wired exactly like the server ({@link AppModule}
 * over the same configuration and signing key), and closed when the command ends.
 */
final class StoreSession implements AutoCloseable {
  private final ServerConfig config;
  private final Injector injector;
  private final DocsGenServices services;

  private StoreSession(ServerConfig config, Injector injector, DocsGenServices services) {
    this.config = config;
    this.injector = injector;
    this.services = services;
  }

  /** Opens the configured backends; failures surface as their cause (see {@link ExitCodes}). */
  static StoreSession open(ServerConfig config) {
    prepareDirectories(config);
    SigningKeys keys = SigningKeys.load(config.signing());
    // a CreationException or ProvisionException reaches ExitCodes, which looks through it
    Injector injector = Guice.createInjector(new AppModule(config, keys, Clock.systemUTC()));
    try {
      injector.getInstance(ManifestStore.class);
      injector.getInstance(ArtifactStore.class);
      return new StoreSession(config, injector, injector.getInstance(DocsGenServices.class));
    } catch (ProvisionException e) {
      closeStores(injector);
      throw e;
    }
  }

  ServerConfig config() {
    return config;
  }

  DocsGenServices services() {
    return services;
  }

  @Override
  public void close() {
    closeStores(injector);
  }

  private static void closeStores(Injector injector) {
    Object closed = null;
    for (Class<?> type : new Class<?>[] {ArtifactStore.class, ManifestStore.class}) {
      try {
        Object instance = injector.getInstance(type);
        if (instance instanceof AutoCloseable closeable && instance != closed) {
          closed = instance;
          closeable.close();
        }
      } catch (Exception ignored) {
        // never created, or already failing: nothing to release
      }
    }
  }

  /** The server creates these too (ServerWiring); the CLI opens the stores without a server. */
  private static void prepareDirectories(ServerConfig config) {
    try {
      if (config.artifacts().backend() == ServerConfig.Backend.FS) {
        Files.createDirectories(config.artifacts().fsRoot());
      }
      Files.createDirectories(config.signing().keyFile().toAbsolutePath().getParent());
      if (config.manifest().isSqlite()) {
        String rest = config.manifest().url().substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        String file = query < 0 ? rest : rest.substring(0, query);
        if (!file.isEmpty() && !file.equals(":memory:") && !file.startsWith("file:")) {
          Path parent = Path.of(file).toAbsolutePath().getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
        }
      }
    } catch (IOException e) {
      throw new ConfigException("artifacts.fs.root", "cannot create the data directories: " + e);
    }
  }
}
