package org.docsgen.store.app.cli;

import io.javalin.util.JavalinBindException;
import java.util.concurrent.CountDownLatch;
import org.docsgen.store.app.http.DocsGenServer;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.wiring.ServerWiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code docsgen serve}: the same HTTP server as {@code docsgen-server.jar}, from the same
 * configuration, until the process is stopped (Ctrl-C) or the calling thread is interrupted.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Start the HTTP server and serve until stopped.",
      "The same server as app-http's docsgen-server.jar, from the same configuration. With no configuration file, an admin token is generated for this start and printed."
    })
final class ServeCommand extends StoreCommand {
  @Option(
      names = "--demo",
      description =
          "Seed an example run (once; nothing is written when it is already there) to look at in"
              + " the browser view at /ui/.")
  boolean demo;

  @Override
  int run() {
    ServerConfig config = cli().config(true);
    DocsGenServer server;
    try {
      server = ServerWiring.start(config, demo, seeded -> out().println(seeded.describe()));
    } catch (JavalinBindException e) {
      throw new CliException(
          ExitCodes.BACKEND,
          "cannot listen on "
              + config.server().host()
              + ":"
              + config.server().port()
              + ": "
              + e.getMessage(),
          "choose another port with server.port (DOCSGEN_SERVER_PORT; 0 picks a free one)");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "docsgen-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ServerWiring.startupLines(config, server).forEach(out()::println);
    out().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // stopped in-process (tests, an embedding caller): close, then keep the interrupt visible
      Runtime.getRuntime().removeShutdownHook(hook);
      server.close();
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }
}
