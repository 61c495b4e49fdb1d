import io.javalin.Javalin;
import java.nio.ByteBuffer;
import java.util.Random;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The ceiling of the HTTP stack under DocsGen: a 16 KiB GET answered from memory, by a Javalin
 * route (as DocsGen's routes are served: Jetty, Javalin's servlet, 25 other GET routes to match
 * first) or by a bare Jetty 12 handler. No store, no manifest, no auth: what is left of a GET
 * once everything DocsGen does is free. Run by {@code ceiling.sh}; a benchmark, never a test.
 *
 * <p>usage: java -cp docsgen-server.jar Ceiling.java javalin|jetty PORT
 */
public class Ceiling {
  public static void main(String[] args) throws Exception {
    byte[] body = new byte[16384];
    new Random(1).nextBytes(body);
    int port = Integer.parseInt(args[1]);
    QueuedThreadPool pool = new QueuedThreadPool(200, 8); // as DocsGenServer on Java 17
    if (args[0].equals("javalin")) {
      Javalin.create(
              cfg -> {
                cfg.jetty.threadPool = pool;
                cfg.jetty.host = "127.0.0.1";
                cfg.jetty.port = port;
                cfg.startup.showJavalinBanner = false;
                for (int i = 0; i < 25; i++) {
                  cfg.routes.get("/api/x" + i + "/{p}", ctx -> ctx.result("x"));
                }
                cfg.routes.get(
                    "/api/artifacts/<path>",
                    ctx -> {
                      ctx.header("ETag", "\"sha256:0\"");
                      ctx.header("X-Artifact-Generation", "1");
                      ctx.contentType("application/octet-stream");
                      ctx.res().setContentLength(body.length);
                      ctx.res().getOutputStream().write(body);
                    });
              })
          .start();
    } else {
      Server server = new Server(pool);
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(port);
      server.addConnector(connector);
      server.setHandler(
          new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
              response.setStatus(200);
              response.getHeaders().put("ETag", "\"sha256:0\"");
              response.getHeaders().put("X-Artifact-Generation", "1");
              response.getHeaders().put("Content-Type", "application/octet-stream");
              response.getHeaders().put("Content-Length", body.length);
              response.write(true, ByteBuffer.wrap(body), callback);
              return true;
            }
          });
      server.start();
    }
    Thread.currentThread().join();
  }
}
