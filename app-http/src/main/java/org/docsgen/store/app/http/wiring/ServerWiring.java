package org.docsgen.store.app.http.wiring;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.util.Modules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.docsgen.store.app.http.DocsGenServer;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.demo.DemoRun;
import org.docsgen.store.app.http.routes.UseCases;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.service.DocsGenServices;

/**
 * Builds and starts a server from configuration: prepares the local directories the configuration
 * names, creates the injector, and hands the services and the stores' health to {@link
 * DocsGenServer}. Failures while creating the backends surface as their root cause.
 */
public final class ServerWiring {
  private ServerWiring() {}

  public static DocsGenServer start(ServerConfig config) {
    return start(config, Clock.systemUTC(), List.of());
  }

  /**
   * Starts like {@link #start(ServerConfig)}; with {@code demo} it first seeds the example run
   * ({@link DemoRun}) into the configured stores unless it is already there, and hands its id to
   * {@code seeded}.
   */
  public static DocsGenServer start(
      ServerConfig config, boolean demo, Consumer<DemoRun.Seeded> seeded) {
    return start(config, Clock.systemUTC(), List.of(), demo ? seeded : null);
  }

  public static DocsGenServer start(ServerConfig config, Clock clock, List<Module> overrides) {
    return start(config, clock, overrides, null);
  }

  /**
   * Starts with {@code overrides} replacing bindings of the configured modules (tests bind, for
   * example, an S3 store with the fixture's credentials).
   */
  public static DocsGenServer start(
      ServerConfig config, Clock clock, List<Module> overrides, Consumer<DemoRun.Seeded> demo) {
    prepareDirectories(config);
    SigningKeys keys = SigningKeys.load(config.signing());
    Module app = new AppModule(config, keys, clock);
    Injector injector;
    try {
      injector =
          Guice.createInjector(overrides.isEmpty() ? app : Modules.override(app).with(overrides));
    } catch (CreationException e) {
      throw rootCause(e, e.getErrorMessages().iterator().next().getCause());
    }
    ArtifactStore artifacts;
    ManifestStore manifest;
    DocsGenServices services;
    try {
      manifest = injector.getInstance(ManifestStore.class);
      artifacts = injector.getInstance(ArtifactStore.class);
      services = injector.getInstance(DocsGenServices.class);
    } catch (ProvisionException e) {
      closeAll(injector);
      throw rootCause(e, e.getErrorMessages().iterator().next().getCause());
    }
    if (demo != null) {
      try {
        demo.accept(DemoRun.seed(UseCases.of(services)));
      } catch (RuntimeException e) {
        closeAll(injector);
        throw e;
      }
    }
    // the start-up probe runs here, before the first request
    StoreHealthMonitor health = new StoreHealthMonitor(artifacts, manifest);
    try {
      return DocsGenServer.start(
          config,
          UseCases.of(services),
          health,
          () -> {
            health.close();
            closeAll(injector);
          });
    } catch (RuntimeException e) {
      health.close();
      closeAll(injector);
      throw e;
    }
  }

  private static void closeAll(Injector injector) {
    List<Object> closed = new ArrayList<>();
    for (Class<?> type : List.of(ArtifactStore.class, ManifestStore.class)) {
      try {
        Object instance = injector.getInstance(type);
        if (instance instanceof AutoCloseable closeable && !closed.contains(instance)) {
          closed.add(instance);
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
    return root instanceof RuntimeException runtime
        ? runtime
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
      Path keyDir = config.signing().keyFile().toAbsolutePath().getParent();
      DurableDirectories.create(keyDir);
      if (config.manifest().isSqlite()) {
        String rest = config.manifest().url().substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        String file = query < 0 ? rest : rest.substring(0, query);
        if (!file.isEmpty() && !file.equals(":memory:") && !file.startsWith("file:")) {
          Path parent = Path.of(file).toAbsolutePath().getParent();
          if (parent != null) {
            DurableDirectories.create(parent);
          }
        }
      }
    } catch (IOException e) {
      throw new ConfigException("artifacts.fs.root", "cannot create the data directories: " + e);
    }
  }
}
