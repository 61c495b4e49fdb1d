package org.docsgen.store.app.http;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.docsgen.store.app.http.auth.BearerAuthenticator;
import org.docsgen.store.app.http.auth.Principal;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.health.Health;
import org.docsgen.store.app.http.metrics.HttpMetrics;
import org.docsgen.store.app.http.metrics.RequestLog;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.JettyProblemErrorHandler;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemMapper;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.app.http.routes.OpenApiDocument;
import org.docsgen.store.app.http.routes.Route;
import org.docsgen.store.app.http.routes.Router;
import org.docsgen.store.app.http.routes.UseCases;
import org.docsgen.store.app.http.routes.api.ApiRoutes;
import org.docsgen.store.app.http.routes.api.DirectArtifactGet;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin over the route table, bearer-token authorisation, problem documents for
 * every error, metrics and one log line per request. Blocking I/O runs on virtual threads where the
 * JDK has them (21+), else on a sized pool of platform threads.
 */
public final class DocsGenServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DocsGenServer.class);
  static final int PLATFORM_THREADS = 200;
  private static final String VERSION = "0.1.0";

  private final Javalin app;
  private final List<Route> routes;
  private final HttpMetrics metrics;
  private final AutoCloseable resources;
  private final String host;
  private final DirectArtifactGet direct;

  private DocsGenServer(
      Javalin app,
      List<Route> routes,
      HttpMetrics metrics,
      AutoCloseable resources,
      String host,
      DirectArtifactGet direct) {
    this.direct = direct;
    this.app = app;
    this.routes = routes;
    this.metrics = metrics;
    this.resources = resources;
    this.host = host;
  }

  /**
   * Starts a server over {@code useCases} listening where {@code config} says; {@code resources}
   * (pools, clients) are closed when the server is.
   */
  public static DocsGenServer start(
      ServerConfig config, UseCases useCases, Health health, AutoCloseable resources) {
    requireNonNull(config, "config is null");
    HttpMetrics metrics = new HttpMetrics();
    List<Route> routes =
        ApiRoutes.table(
            useCases,
            config.server().maxArtifactBytes(),
            health::current,
            metrics::scrape,
            table -> OpenApiDocument.of(table, VERSION));
    boolean local =
        config.artifacts().backend() == ServerConfig.Backend.FS && config.manifest().isSqlite();
    BearerAuthenticator authenticator = new BearerAuthenticator(config.tokens());
    Router router = new Router(routes, authenticator);
    // in front of Javalin (which attaches its servlet inside this wrapper): the common artifact
    // GET, answered without the servlet layer; everything else passes through unchanged
    DirectArtifactGet direct =
        new DirectArtifactGet(
            useCases.artifacts(),
            authenticator,
            local,
            (method, status, nanos, principal, bytesOut, aborted) ->
                finished(
                    metrics,
                    method,
                    ApiRoutes.ARTIFACT,
                    status,
                    nanos,
                    principal,
                    0,
                    bytesOut,
                    aborted));
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.http.compressionStrategy = CompressionStrategy.NONE;
              cfg.http.generateEtags = false;
              cfg.http.prefer405over404 = true;
              cfg.router.treatMultipleSlashesAsSingleSlash = false;
              cfg.router.ignoreTrailingSlashes = false;
              cfg.jetty.host = config.server().host();
              cfg.jetty.port = config.server().port();
              if (local) {
                cfg.jetty.addConnector(
                    (server, http) ->
                        connector(server, http, config.server().host(), config.server().port()));
              }
              threads(cfg);
              cfg.jetty.modifyServer(
                  server -> {
                    server.setErrorHandler(new JettyProblemErrorHandler());
                    server.setHandler(direct);
                  });
              cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              for (Route route : routes) {
                cfg.routes.addHttpHandler(
                    HandlerType.findOrCreate(route.method().name()),
                    route.path(),
                    router.handler(route));
              }
              cfg.routes.before(DocsGenServer::refuseMalformedEscapes);
              cfg.routes.exception(Exception.class, (e, ctx) -> answer(ctx, e, health));
              cfg.routes.error(404, ctx -> unmatched(ctx, ProblemType.NOT_FOUND));
              cfg.routes.error(405, ctx -> unmatched(ctx, ProblemType.METHOD_NOT_ALLOWED));
              cfg.requestLogger.http((ctx, ms) -> finished(ctx, metrics, health));
            });
    try {
      app.start();
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
    return new DocsGenServer(app, routes, metrics, resources, config.server().host(), direct);
  }

  /**
   * The listening connector of the embedded default, with one selector per CPU: there the direct
   * artifact GET runs on the selector thread that read its request (see {@link DirectArtifactGet}),
   * so with Jetty's default of one selector per two CPUs a small machine would answer reads on one
   * core. With S3 or PostgreSQL every request runs on pool threads and Javalin's default connector
   * stays.
   */
  private static ServerConnector connector(
      Server server, HttpConfiguration http, String host, int port) {
    int selectors = Math.max(1, Runtime.getRuntime().availableProcessors());
    ServerConnector connector =
        new ServerConnector(server, -1, selectors, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  private static void threads(io.javalin.config.JavalinConfig cfg) {
    if (Runtime.version().feature() >= 21) {
      cfg.concurrency.useVirtualThreads = true;
    } else {
      QueuedThreadPool pool = new QueuedThreadPool(PLATFORM_THREADS, 8);
      pool.setName("docsgen-http");
      cfg.jetty.threadPool = pool;
    }
  }

  /**
   * A percent sign in the path or the query must start a two-digit hex escape. Jetty lets other
   * spellings through: the legacy {@code %u002e} in a path, on which Javalin's decoding of path
   * parameters threw an {@link IllegalArgumentException} (a 500 for bad input), and any malformed
   * escape in a query, whose parameter was then silently dropped ({@code ?limit=%zz} answered as if
   * no limit was given). Refused here, before any route, as a 400 naming what to fix.
   */
  private static void refuseMalformedEscapes(Context ctx) {
    String path = ctx.req().getRequestURI();
    if (malformedEscape(path)) {
      throw new ApiException(
          Problem.builder(
                  path.startsWith("/api/artifacts/")
                      ? ProblemType.INVALID_PATH
                      : ProblemType.INVALID_PARAMETER,
                  "the path has a malformed percent escape: write '%' as %25 and other characters"
                      + " as %XX, two hex digits per byte")
              .field("path")
              .build());
    }
    if (malformedEscape(ctx.req().getQueryString())) {
      throw new ApiException(
          Problem.builder(
                  ProblemType.INVALID_PARAMETER,
                  "the query has a malformed percent escape: write '%' as %25 and other characters"
                      + " as %XX, two hex digits per byte")
              .field("query")
              .build());
    }
  }

  private static boolean malformedEscape(String raw) {
    for (int i = raw == null ? -1 : raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length()
          || !java.util.HexFormat.isHexDigit(raw.charAt(i + 1))
          || !java.util.HexFormat.isHexDigit(raw.charAt(i + 2))) {
        return true;
      }
    }
    return false;
  }

  private static void answer(Context ctx, Exception error, Health health) {
    if (error instanceof BackendUnavailableException down) {
      health.backendFailed(down);
    }
    Exchange exchange = Exchange.of(ctx);
    if (ctx.res().isCommitted()) {
      // the status line is gone; Jetty ends the exchange short of its Content-Length and closes
      // the connection, the only honest signal left: no client takes a partial body for whole
      exchange.aborted();
      LOG.warn(
          "response to {} {} failed after it started, connection aborted: {}",
          ctx.method(),
          ctx.path(),
          error.getMessage());
      return;
    }
    ProblemMapper.Answer answer = ProblemMapper.map(error);
    ctx.res().reset(); // drop what the route had set (Content-Length, ETag, ...)
    boolean bodyMayBeArriving = exchange.bodyMayBeArriving();
    if (bodyMayBeArriving) {
      ctx.header("Connection", "close"); // the rest of the body is drained, not parsed
    }
    exchange.problem(answer.problem().withInstance(ctx.path()), answer.headers());
    if (bodyMayBeArriving) {
      exchange.sendAnswerThenDrain(); // so a reset cannot cost the client its answer
    }
  }

  private static void unmatched(Context ctx, ProblemType kind) {
    String type = ctx.res().getContentType();
    if (type != null && type.startsWith(Problem.MEDIA_TYPE)) {
      return; // a route already answered with its own problem
    }
    String detail =
        kind == ProblemType.NOT_FOUND
            ? "no route for " + ctx.method() + " " + ctx.path()
            : ctx.method() + " is not allowed on " + ctx.path();
    Exchange.of(ctx).problem(Problem.of(kind, detail).withInstance(ctx.path()), Map.of());
  }

  private static void finished(Context ctx, HttpMetrics metrics, Health health) {
    Exchange exchange = Exchange.of(ctx);
    String route = exchange.route().map(Route::path).orElse("(unmatched)");
    long nanos = System.nanoTime() - exchange.startNanos();
    String principal = exchange.principal().map(Principal::name).orElse("-");
    int status = ctx.statusCode();
    exchange.route().ifPresent(r -> recordWrite(r, status, exchange.wasAborted(), health));
    finished(
        metrics,
        ctx.method().name(),
        route,
        status,
        nanos,
        principal,
        exchange.bytesIn(),
        exchange.bytesOut(),
        exchange.wasAborted());
  }

  /** What every finished request leaves behind: its metrics and its request log line. */
  private static void finished(
      HttpMetrics metrics,
      String method,
      String route,
      int status,
      long nanos,
      String principal,
      long bytesIn,
      long bytesOut,
      boolean aborted) {
    metrics.record(method, route, status, nanos, bytesIn, bytesOut);
    RequestLog.log(method, route, status, nanos, principal, bytesIn, bytesOut, aborted);
  }

  /** A write the stores accepted is a fresh sign of their health (ARCHITECTURE.md § Health). */
  private static void recordWrite(Route route, int status, boolean aborted, Health health) {
    if (route.method() == Route.Method.GET
        || route.method() == Route.Method.HEAD
        || status < 200
        || status >= 300
        || aborted) {
      return;
    }
    health.writeSucceeded(
        route.method() == Route.Method.PUT && route.path().startsWith("/api/artifacts/"));
  }

  /** The port the server listens on (the real one when configured with 0). */
  public int port() {
    return app.port();
  }

  /** {@code http://host:port}. */
  public URI uri() {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    if (shown.contains(":")) {
      shown = "[" + shown + "]";
    }
    return URI.create("http://" + shown + ":" + port());
  }

  /** Artifact GETs answered by the direct path since start (the rest went through Javalin). */
  public long directReads() {
    return direct.served();
  }

  /** The route table this server serves. */
  public List<Route> routes() {
    return routes;
  }

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      metrics.close();
      try {
        resources.close();
      } catch (Exception e) {
        LOG.warn("closing backends failed: {}", e.toString());
      }
    }
  }
}
