package org.docsgen.store.app.http.testing;

import com.google.inject.Module;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.docsgen.store.app.http.DocsGenServer;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.demo.DemoRun;
import org.docsgen.store.app.http.wiring.ServerWiring;

/**
 * A real server for tests, bound to 127.0.0.1 on a random port, configured through the same YAML
 * loader as production, with one token per role.
 */
public final class TestServer implements AutoCloseable {
  public static final String READER = "reader-token-0123456789";
  public static final String WRITER = "writer-token-0123456789";
  public static final String APPROVER = "approver-token-0123456789";
  public static final String ADMIN = "admin-token-0123456789";
  public static final Map<String, String> TOKENS_BY_ROLE =
      Map.of("reader", READER, "writer", WRITER, "approver", APPROVER, "admin", ADMIN);

  private final DocsGenServer server;
  private final Api api;
  private final Path dataDir;

  private TestServer(DocsGenServer server, Path dataDir) {
    this.server = server;
    this.api = new Api(server.uri());
    this.dataDir = dataDir;
  }

  /** YAML for the four role tokens. */
  public static String tokensYaml() {
    return "auth:\n  tokens:\n"
        + "    - { token: "
        + READER
        + ", principal: rita-reader, roles: [reader] }\n"
        + "    - { token: "
        + WRITER
        + ", principal: orchestrator, roles: [writer] }\n"
        + "    - { token: "
        + APPROVER
        + ", principal: alice-approver, roles: [approver] }\n"
        + "    - { token: "
        + ADMIN
        + ", principal: ada-admin, roles: [admin] }\n";
  }

  /** The embedded default (filesystem + SQLite) under {@code dir/data}. */
  public static TestServer embedded(Path dir) {
    return embedded(dir, "");
  }

  /** The embedded default plus {@code serverYaml} lines under {@code server:}. */
  public static TestServer embedded(Path dir, String serverYaml) {
    return embedded(dir, serverYaml, Clock.systemUTC(), List.of());
  }

  /** The embedded default on {@code clock}, with {@code overrides} of the app's bindings. */
  public static TestServer embedded(
      Path dir, String serverYaml, Clock clock, List<Module> overrides) {
    return start(
        ConfigLoader.fromYaml(embeddedYaml(serverYaml), Map.of(), dir),
        overrides,
        dir.resolve("data"),
        clock);
  }

  private static String embeddedYaml(String serverYaml) {
    return "server:\n  host: 127.0.0.1\n  port: 0\n"
        + serverYaml
        + tokensYaml()
        + "artifacts:\n  backend: fs\n  fs: { root: ./data/artifacts }\n"
        + "manifest: { url: \"jdbc:sqlite:./data/manifest.db\" }\n"
        + "signing: { keyFile: ./data/bundle-signing.key }\n";
  }

  /**
   * The embedded default plus {@code serverYaml}, with the {@code --demo} example run seeded at
   * start (its id handed to {@code seeded}).
   */
  public static TestServer embeddedWithDemo(
      Path dir, String serverYaml, Consumer<DemoRun.Seeded> seeded) {
    ServerConfig config = ConfigLoader.fromYaml(embeddedYaml(serverYaml), Map.of(), dir);
    return new TestServer(
        ServerWiring.start(config, Clock.systemUTC(), List.of(), seeded), dir.resolve("data"));
  }

  public static TestServer start(ServerConfig config, List<Module> overrides, Path dataDir) {
    return start(config, overrides, dataDir, Clock.systemUTC());
  }

  public static TestServer start(
      ServerConfig config, List<Module> overrides, Path dataDir, Clock clock) {
    return new TestServer(ServerWiring.start(config, clock, overrides), dataDir);
  }

  public Api api() {
    return api;
  }

  public DocsGenServer server() {
    return server;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    server.close();
  }
}
