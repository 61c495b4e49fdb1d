package org.docsgen.store.app.http.routes;

import com.fasterxml.jackson.core.JacksonException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.app.http.auth.Principal;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.PageRequest;

/**
 * One request as the routes see it: the Javalin context, the authenticated principal, typed access
 * to path and query parameters and JSON bodies (each refusal a precise problem naming the input),
 * and the byte counts the request log and metrics report.
 */
public final class Exchange {
  /** JSON request bodies larger than this are refused (artifact bodies have their own limit). */
  public static final long MAX_JSON_BYTES = 16L * 1024 * 1024;

  public static final String JSON = "application/json";

  /** At most this much of an unread request body is drained before an early answer. */
  public static final long DRAIN_MAX_BYTES = 8L * 1024 * 1024;

  /** For at most this long (checked between reads) is an unread request body drained. */
  public static final long DRAIN_MAX_NANOS = 2_000_000_000L;

  private static final String ATTRIBUTE = "docsgen.exchange";

  private final Context ctx;
  private final long startNanos = System.nanoTime();
  private Route route;
  private Principal principal;
  private long bytesIn;
  private long bytesOut;
  private boolean aborted;
  private boolean bodyOpened;
  private byte[] answered;

  private Exchange(Context ctx) {
    this.ctx = ctx;
  }

  /** The exchange of this request, created on first use. */
  public static Exchange of(Context ctx) {
    Exchange exchange = ctx.attribute(ATTRIBUTE);
    if (exchange == null) {
      exchange = new Exchange(ctx);
      ctx.attribute(ATTRIBUTE, exchange);
    }
    return exchange;
  }

  public Context ctx() {
    return ctx;
  }

  // ---- routing, identity and accounting

  public Optional<Route> route() {
    return Optional.ofNullable(route);
  }

  void matched(Route newRoute) {
    this.route = newRoute;
  }

  void authenticated(Principal newPrincipal) {
    this.principal = newPrincipal;
  }

  public Optional<Principal> principal() {
    return Optional.ofNullable(principal);
  }

  /** The actor every write records: the token's principal. */
  public String actor() {
    if (principal == null) {
      throw new IllegalStateException("route " + route + " has no authenticated principal");
    }
    return principal.name();
  }

  public void countIn(long n) {
    bytesIn += n;
  }

  public void countOut(long n) {
    bytesOut += n;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  public long startNanos() {
    return startNanos;
  }

  /**
   * Marks that the request body was opened: from now on the client was told to send it ({@code 100
   * Continue} went out if it asked for one), so an early answer must drain it.
   */
  public void bodyOpened() {
    this.bodyOpened = true;
  }

  /**
   * Whether the request body may still be arriving while the route answers early (a refusal or a
   * failure before the route read it to its end): it has one, and the client was told to send it
   * (the body was opened, so {@code 100 Continue} went out if it asked for one) or never asked to
   * wait for a {@code 100 Continue}. A body the client was not yet invited to send is not coming.
   */
  public boolean bodyMayBeArriving() {
    long declared = ctx.req().getContentLengthLong();
    boolean chunked = ctx.header("Transfer-Encoding") != null;
    if (declared == 0 || (declared < 0 && !chunked)) {
      return false;
    }
    String expect = ctx.header("Expect");
    return bodyOpened || expect == null || !expect.strip().equalsIgnoreCase("100-continue");
  }

  /**
   * Sends the answer set so far (with {@code Connection: close}) at once, then reads and discards
   * what is left of the request body — at most {@link #DRAIN_MAX_BYTES}, and no more reads once
   * {@link #DRAIN_MAX_NANOS} has passed — so that the connection is not closed while the client is
   * still sending: the kernel would answer the next arriving bytes with a TCP reset, which can cost
   * the client the answer before it reads it (docs/decisions.md § app-http, "An early answer drains
   * the body"). Call only after the answer is set and when {@link #bodyMayBeArriving()}.
   */
  public void sendAnswerThenDrain() {
    try {
      byte[] bytes = answered == null ? new byte[0] : answered;
      ctx.res().setContentLength(bytes.length);
      OutputStream out = ctx.res().getOutputStream();
      out.write(bytes);
      out.flush(); // commits: the answer is on the wire before any draining
      ctx.result(new byte[0]);
    } catch (IOException e) {
      return; // the client went away: nothing to protect
    }
    bodyOpened = true;
    long deadline = System.nanoTime() + DRAIN_MAX_NANOS;
    long drained = 0;
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = ctx.req().getInputStream();
      while (drained <= DRAIN_MAX_BYTES && System.nanoTime() - deadline < 0) {
        int n = in.read(buffer);
        if (n < 0) {
          return;
        }
        drained += n;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or the body is malformed: nothing left to protect
    }
  }

  /** Marks a response that failed after it was committed (the connection was cut). */
  public void aborted() {
    this.aborted = true;
  }

  public boolean wasAborted() {
    return aborted;
  }

  // ---- parameters

  public RunId runId() {
    return Params.parse("runId", () -> RunId.parse(ctx.pathParam("runId")));
  }

  public Stage stage() {
    return Params.parse("stage", () -> Stage.parse(ctx.pathParam("stage")));
  }

  public int attempt() {
    return Params.positiveInt("attempt", ctx.pathParam("attempt"));
  }

  /** A query parameter; absent when missing or empty. */
  public Optional<String> query(String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** {@code ?limit=} (1..1000, default 100) and {@code ?cursor=}. */
  public PageRequest page() {
    int limit =
        query("limit")
            .map(text -> Params.positiveInt("limit", text))
            .orElse(PageRequest.DEFAULT_LIMIT);
    if (limit > PageRequest.MAX_LIMIT) {
      throw ApiException.badParameter(
          "limit", "limit must be between 1 and " + PageRequest.MAX_LIMIT + ", was " + limit);
    }
    return new PageRequest(query("cursor").orElse(null), limit);
  }

  // ---- bodies

  /** The JSON body as {@code type}; refused when absent, not JSON, too large or malformed. */
  public <T> T body(Class<T> type) {
    return optionalBody(type)
        .orElseThrow(
            () ->
                new ApiException(Problem.of(ProblemType.INVALID_BODY, "a JSON body is required")));
  }

  /** The JSON body as {@code type}, or empty when the request has no body. */
  public <T> Optional<T> optionalBody(Class<T> type) {
    long declared = ctx.req().getContentLengthLong();
    boolean chunked = ctx.header("Transfer-Encoding") != null;
    if (declared == 0 || (declared < 0 && !chunked)) {
      return Optional.empty();
    }
    requireJsonContentType();
    if (declared > MAX_JSON_BYTES) {
      throw tooLargeJson();
    }
    byte[] bytes;
    bodyOpened();
    try (InputStream in = ctx.bodyInputStream()) {
      bytes = in.readNBytes((int) MAX_JSON_BYTES + 1);
    } catch (IOException e) {
      throw new ApiException(
          Problem.of(ProblemType.INVALID_BODY, "the request body could not be read to its end"));
    }
    countIn(bytes.length);
    if (bytes.length > MAX_JSON_BYTES) {
      throw tooLargeJson();
    }
    if (bytes.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.mapper().readValue(bytes, type));
    } catch (JacksonException e) {
      throw new ApiException(
          Problem.builder(ProblemType.INVALID_BODY, JsonProblems.describe(e))
              .field("body")
              .build());
    } catch (IOException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_BODY, "unreadable JSON body"));
    }
  }

  private static ApiException tooLargeJson() {
    return new ApiException(
        Problem.builder(
                ProblemType.PAYLOAD_TOO_LARGE,
                "a JSON body may hold at most " + MAX_JSON_BYTES + " bytes")
            .field("body")
            .build());
  }

  private void requireJsonContentType() {
    String contentType = ctx.header("Content-Type");
    String base =
        contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!base.equals(JSON) && !(base.startsWith("application/") && base.endsWith("+json"))) {
      throw new ApiException(
          Problem.builder(
                  ProblemType.UNSUPPORTED_MEDIA_TYPE,
                  "this route takes application/json, not '"
                      + Params.printable(contentType == null ? "(none)" : contentType)
                      + "'")
              .field("Content-Type")
              .build(),
          Map.of("Accept-Post", JSON));
    }
  }

  // ---- responses

  /** Answers {@code body} as JSON with {@code status}. */
  public void json(int status, Object body) {
    write(status, JSON, body);
  }

  /** Answers a problem document with its headers. */
  public void problem(Problem problem, Map<String, String> headers) {
    headers.forEach(ctx::header);
    write(problem.status(), Problem.MEDIA_TYPE, problem);
  }

  private void write(int status, String contentType, Object body) {
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
    ctx.status(status);
    ctx.contentType(contentType);
    ctx.result(bytes);
    answered = bytes;
    countOut(bytes.length);
  }

  /** The raw response stream (no compression), counting what is written. */
  public OutputStream responseStream() throws IOException {
    OutputStream out = ctx.res().getOutputStream();
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        countOut(1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        countOut(len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }
}
