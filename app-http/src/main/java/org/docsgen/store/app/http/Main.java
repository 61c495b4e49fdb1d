package org.docsgen.store.app.http;

import java.nio.file.Path;
import java.util.List;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.wiring.ServerWiring;

/**
 * {@code java -jar docsgen-server.jar [--config FILE] [--demo]}: reads the configuration, starts
 * the server and prints its URL and the browser view's (and, on the embedded default without
 * configured tokens, the admin token generated for this start — printed once, to the console only,
 * never logged). {@code --demo} first seeds the example run unless the store already holds it. Exit
 * status 2 for unusable configuration, 3 when a backend cannot be started.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(
          "usage: java -jar docsgen-server.jar [--config docsgen.yaml] [--demo]\n"
              + "--demo: seed an example run (once) to look at in the browser view at /ui/\n"
              + "configuration: --config, else $"
              + ConfigLoader.CONFIG_ENV
              + ", else ./docsgen.yaml, else the embedded default (filesystem + SQLite under"
              + " ./docsgen-data);\nany key is overridden by DOCSGEN_<KEY_PATH>, e.g."
              + " DOCSGEN_SERVER_PORT=8080.\nkeys: "
              + String.join(", ", ConfigLoader.knownKeys()));
      return;
    }
    ServerConfig config;
    try {
      config = ConfigLoader.load(List.of(args), System.getenv(), Path.of(""));
    } catch (ConfigException e) {
      System.err.println("docsgen-server: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean demo = List.of(args).contains("--demo");
    DocsGenServer server;
    try {
      server = ServerWiring.start(config, demo, seeded -> System.out.println(seeded.describe()));
    } catch (ConfigException e) {
      System.err.println("docsgen-server: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      System.err.println("docsgen-server: cannot start: " + describe(e));
      System.exit(3);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "docsgen-shutdown"));
    ServerWiring.startupLines(config, server).forEach(System.out::println);
    config
        .generatedAdminToken()
        .ifPresent(
            token ->
                System.out.println(
                    "try: curl -H 'Authorization: Bearer "
                        + token
                        + "' "
                        + server.uri()
                        + "/api/runs"));
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !text.toString().contains(c.getMessage())) {
        text.append(" (").append(c.getMessage()).append(')');
      }
    }
    return text.toString();
  }
}
