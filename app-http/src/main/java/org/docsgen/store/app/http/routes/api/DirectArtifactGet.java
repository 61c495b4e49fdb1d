package org.docsgen.store.app.http.routes.api;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.docsgen.store.app.http.auth.Access;
import org.docsgen.store.app.http.auth.BearerAuthenticator;
import org.docsgen.store.app.http.auth.Principal;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.in.ArtifactUseCases;
import org.docsgen.store.ports.out.ArtifactContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;

/**
 * The artifact GET's direct path: a Jetty handler in front of Javalin that answers the common read
 * — {@code GET /api/artifacts/<path>}, latest or {@code ?generation=N}, by an authorised token, of
 * a small artifact the stores hold intact — itself, without the servlet layer, and hands every
 * other request to Javalin untouched (docs/decisions.md § app-http, "The artifact GET's direct
 * path").
 *
 * <p>It answers only a 200 whose every byte it has already read and verified: the same use cases
 * ({@link ArtifactUseCases#stat}, {@link ArtifactUseCases#open}), so the same manifest lookup and
 * the store's integrity checks (CRC32C of each block read, SHA-256 once per stored object), the
 * same headers in the same order as {@link ArtifactRoutes}, and the same metrics and request log
 * line. Whatever else — a query other than {@code generation}, a percent escape, {@code Range},
 * {@code If-Range}, {@code If-None-Match}, a body, no or an unknown token, an artifact not found,
 * too large to hold, failing its checks, or a backend down — falls through before anything is sent,
 * and the Javalin route answers it exactly as before: the problem documents, 304s, ranges, line
 * previews and health signals stay in one place.
 */
public final class DirectArtifactGet extends Handler.Wrapper {
  /** Artifacts up to this size are answered here, from one pooled buffer; larger ones stream. */
  static final int MAX_BYTES = 64 * 1024;

  private static final String PREFIX = ArtifactPaths.PREFIX;
  private static final String QUERY = "generation=";

  /** What the server records of every finished request (metrics and the request log line). */
  @FunctionalInterface
  public interface Finished {
    void finished(
        String method, int status, long nanos, String principal, long bytesOut, boolean aborted);
  }

  private final ArtifactUseCases artifacts;
  private final BearerAuthenticator authenticator;
  private final Finished finished;
  private final LongAdder served = new LongAdder();
  private final boolean local;

  /**
   * @param local whether both stores answer from this machine's disk (filesystem artifacts, SQLite
   *     manifest): then reads run on the selector thread ({@link #getInvocationType})
   */
  public DirectArtifactGet(
      ArtifactUseCases artifacts,
      BearerAuthenticator authenticator,
      boolean local,
      Finished finished) {
    this.local = local;
    this.artifacts = artifacts;
    this.authenticator = authenticator;
    this.finished = finished;
  }

  /** Requests answered here since start (the rest went to Javalin); for tests and diagnosis. */
  public long served() {
    return served.sum();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long start = System.nanoTime();
    if (answered(request, response, callback, start)) {
      return true;
    }
    if (!local) {
      return super.handle(request, response, callback); // already on a pool thread
    }
    Executor executor = VirtualThreads.getVirtualThreadsExecutor(getServer().getThreadPool());
    (executor == null ? getServer().getThreadPool() : executor)
        .execute(() -> passOn(request, response, callback));
    return true;
  }

  private void passOn(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, 404);
      }
    } catch (Throwable failure) {
      Response.writeError(request, response, callback, failure);
    }
  }

  /**
   * Non-blocking when both stores are local: Jetty then runs {@link #handle} on the selector thread
   * that read the request, without a handoff to a pool thread. A direct read there waits only on
   * the local disk (the SQLite lookup, the file read), as nginx's event loop does; a request passed
   * on goes to the pool. With a store across the network (S3, PostgreSQL) a read would hold the
   * selector for a round trip, so then everything runs on pool threads, as Jetty does by default.
   */
  @Override
  public InvocationType getInvocationType() {
    return local ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
  }

  private boolean answered(Request request, Response response, Callback callback, long start) {
    if (!HttpMethod.GET.is(request.getMethod())) {
      return false;
    }
    String raw = request.getHttpURI().getPath();
    if (raw == null || !raw.startsWith(PREFIX) || !plain(raw, PREFIX.length())) {
      return false;
    }
    int generation = generation(request.getHttpURI().getQuery());
    HttpFields headers = request.getHeaders();
    if (generation < 0 || !plainRead(headers)) {
      return false;
    }
    Principal principal =
        authenticator.authenticate(headers.get(HttpHeader.AUTHORIZATION)).orElse(null);
    if (principal == null || !principal.may(Access.READ)) {
      return false;
    }
    LogicalPath path;
    ArtifactInfo info;
    try {
      path = LogicalPath.parse(raw.substring(PREFIX.length()));
      info = artifacts.stat(path, generation);
    } catch (RuntimeException e) {
      return false; // the route answers it: 400, 404, 503, with its problem document
    }
    if (info.size() > MAX_BYTES) {
      return false;
    }
    int size = (int) info.size();
    RetainableByteBuffer buffer = getServer().getByteBufferPool().acquire(size + 1, false);
    try {
      if (!read(info, buffer.getByteBuffer(), size)) {
        buffer.release();
        return false; // the route reads again and answers the integrity or backend problem
      }
    } catch (RuntimeException | Error e) {
      buffer.release();
      throw e;
    }
    describe(response, info, generation != 0);
    response.setStatus(200);
    served.increment();
    String name = principal.name();
    response.write(
        true,
        buffer.getByteBuffer(),
        Callback.from(
            () -> {
              buffer.release();
              finished.finished("GET", 200, System.nanoTime() - start, name, size, false);
              callback.succeeded();
            },
            failure -> {
              buffer.release();
              finished.finished("GET", 200, System.nanoTime() - start, name, 0, true);
              callback.failed(failure);
            }));
    return true;
  }

  /**
   * Reads the whole content into {@code into} (flipped for writing), through the store's checked
   * read: true only when it delivered exactly {@code size} bytes and reached its end, where a whole
   * read verifies.
   */
  private boolean read(ArtifactInfo info, ByteBuffer into, int size) {
    byte[] array = into.array();
    int offset = into.arrayOffset();
    try (ArtifactContent content = artifacts.open(info, null)) {
      int n = content.stream().readNBytes(array, offset, size + 1);
      if (n != size) {
        return false;
      }
    } catch (Exception e) {
      return false;
    }
    into.clear();
    into.limit(size);
    return true;
  }

  /** The route's headers of a whole read ({@link ArtifactRoutes#describe}), in its order. */
  private static void describe(Response response, ArtifactInfo info, boolean pinned) {
    HttpFields.Mutable out = response.getHeaders();
    out.put(contentType(info.mediaType()));
    ArtifactRoutes.describe(info, pinned, out::put);
    out.put(HttpHeader.CONTENT_LENGTH, info.size());
  }

  /**
   * The Content-Type as the servlet response writes it: a media type Jetty knows ({@link
   * MimeTypes#CACHE}, e.g. {@code text/html; charset=utf-8}) in Jetty's own spelling ({@code
   * text/html;charset=utf-8}), any other exactly as stored.
   */
  private static HttpField contentType(String mediaType) {
    MimeTypes.Type known = MimeTypes.CACHE.get(mediaType);
    return known != null
        ? known.getContentTypeField()
        : new HttpField(HttpHeader.CONTENT_TYPE, mediaType);
  }

  /**
   * Only the characters of a logical path ({@code [A-Za-z0-9._-]} and {@code /}): no escape,
   * parameter or anything the container or the route would decode, so the raw path is the path.
   */
  private static boolean plain(String raw, int from) {
    if (raw.length() == from) {
      return false;
    }
    for (int i = from; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-'
              || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** 0 (latest) for no query, N for {@code generation=N} (1..999,999,999), else -1. */
  private static int generation(String query) {
    if (query == null) {
      return 0;
    }
    if (!query.startsWith(QUERY)
        || query.length() == QUERY.length()
        || query.length() > QUERY.length() + 9
        || query.charAt(QUERY.length()) == '0') {
      return -1;
    }
    int value = 0;
    for (int i = QUERY.length(); i < query.length(); i++) {
      char c = query.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** No {@code Content-Length}, or 0 (as Java's HTTP client sends with every GET). */
  private static boolean noBody(String contentLength) {
    return contentLength == null || contentLength.equals("0");
  }

  /** No body, and none of the headers that make a read conditional or partial. */
  private static boolean plainRead(HttpFields headers) {
    return !headers.contains(HttpHeader.RANGE)
        && !headers.contains(HttpHeader.IF_RANGE)
        && !headers.contains(HttpHeader.IF_NONE_MATCH)
        && !headers.contains(HttpHeader.IF_MATCH)
        && !headers.contains(HttpHeader.IF_MODIFIED_SINCE)
        && !headers.contains(HttpHeader.IF_UNMODIFIED_SINCE)
        && noBody(headers.get(HttpHeader.CONTENT_LENGTH))
        && !headers.contains(HttpHeader.TRANSFER_ENCODING)
        && !headers.contains(HttpHeader.EXPECT);
  }
}
