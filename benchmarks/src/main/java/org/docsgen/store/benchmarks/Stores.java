package org.docsgen.store.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.adapters.jdbc.JdbcSettings;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ConfigLoader.Purpose;
import org.docsgen.store.app.http.wiring.Bootstrap;
import org.docsgen.store.ports.out.ArtifactStore;
import org.docsgen.store.ports.out.ManifestStore;
import org.docsgen.store.ports.service.DocsGenServices;

/**
 * Opens the stores through the server's own wiring: the YAML a deployment would write (filesystem
 * artifacts under a root, the manifest at a JDBC URL, a signing key file) read by {@link
 * ConfigLoader} and opened by {@link Bootstrap}, the one way from a configuration to open stores
 * that the server and the CLI use. The manifest is migrated by Flyway on open.
 */
final class Stores implements AutoCloseable {
  final ManifestStore manifest;
  final ArtifactStore artifacts;
  final DocsGenServices services;
  private final Bootstrap bootstrap;

  private Stores(Bootstrap bootstrap) {
    this.bootstrap = bootstrap;
    this.manifest = bootstrap.manifest();
    this.artifacts = bootstrap.artifacts();
    this.services = bootstrap.services();
  }

  /** The manifest on {@code settings}, and the filesystem artifact store under {@code fsRoot}. */
  static Stores open(JdbcSettings settings, Path fsRoot) {
    Path dir = fsRoot.toAbsolutePath().getParent();
    String yaml =
        "artifacts:\n  backend: fs\n  fs: { root: \""
            + fsRoot.toAbsolutePath()
            + "\" }\n"
            + "manifest: { url: \""
            + settings.url()
            + "\", user: \""
            + (settings.user() == null ? "" : settings.user())
            + "\", password: \""
            + (settings.password() == null ? "" : settings.password())
            + "\", maxPoolSize: "
            + settings.maxPoolSize()
            + " }\n"
            + "signing: { keyFile: \""
            + dir.resolve("bundle-signing.key")
            + "\" }\n";
    try {
      // as the CLI opens stores (local purpose: no HTTP tokens needed)
      Path file = Files.writeString(dir.resolve("docsgen.yaml"), yaml);
      return new Stores(
          Bootstrap.open(ConfigLoader.load(Purpose.LOCAL, Optional.of(file), Map.of(), dir)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SQLite settings for the file {@code db}: no credentials, 4 readers. */
  static JdbcSettings sqlite(Path db) {
    return new JdbcSettings("jdbc:sqlite:" + db.toAbsolutePath(), null, null, 4, false);
  }

  @Override
  public void close() {
    bootstrap.close();
  }
}
