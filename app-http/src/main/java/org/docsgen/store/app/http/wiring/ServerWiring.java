package org.docsgen.store.app.http.wiring;

import com.google.inject.Module;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.docsgen.store.app.http.DocsGenServer;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.demo.DemoRun;
import org.docsgen.store.app.http.routes.UseCases;

/**
 * Starts a server from configuration: opens the stores through {@link Bootstrap} (as every CLI
 * command does) and hands the services and the stores' health to {@link DocsGenServer}. Failures
 * while creating the backends surface as their root cause.
 */
public final class ServerWiring {
  private ServerWiring() {}

  /**
   * Starts on the UTC clock; with {@code demo} it first seeds the example run ({@link DemoRun})
   * into the configured stores unless it is already there, and hands its id to {@code seeded}.
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
    Bootstrap stores = Bootstrap.open(config, clock, overrides);
    if (demo != null) {
      try {
        demo.accept(DemoRun.seed(UseCases.of(stores.services())));
      } catch (RuntimeException e) {
        stores.close();
        throw e;
      }
    }
    // the start-up probe runs here, before the first request
    StoreHealthMonitor health = new StoreHealthMonitor(stores.artifacts(), stores.manifest());
    try {
      return DocsGenServer.start(
          config,
          UseCases.of(stores.services()),
          health,
          () -> {
            health.close();
            stores.close();
          });
    } catch (RuntimeException e) {
      health.close();
      stores.close();
      throw e;
    }
  }

  /**
   * What a start tells its console, one entry a line: where the server listens, the browser view,
   * the configuration and backends in use and, on the embedded default without configured tokens,
   * the admin token generated for this start (printed, never logged). {@code docsgen serve} and
   * {@code docsgen-server.jar} print the same.
   */
  public static List<String> startupLines(ServerConfig config, DocsGenServer server) {
    List<String> lines = new ArrayList<>();
    lines.add("DocsGen Store listening on " + server.uri());
    lines.add("browser view: " + server.uri() + "/ui/");
    lines.add(
        "configuration: "
            + config.source().map(Path::toString).orElse("embedded default (no docsgen.yaml)")
            + "; artifacts: "
            + config.artifacts().backend().label()
            + "; manifest: "
            + (config.manifest().isSqlite() ? "sqlite" : "postgresql"));
    config
        .generatedAdminToken()
        .ifPresent(
            token ->
                lines.add(
                    "admin token (generated for this start only; set auth.tokens to choose your"
                        + " own):\n  "
                        + token));
    return lines;
  }
}
