package org.docsgen.store.app.http.routes.api;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.json.ArtifactJson;
import org.docsgen.store.app.http.json.OverwriteTokenJson;
import org.docsgen.store.app.http.json.PageJson;
import org.docsgen.store.app.http.json.Requests;
import org.docsgen.store.app.http.problem.ApiException;
import org.docsgen.store.app.http.problem.Problem;
import org.docsgen.store.app.http.problem.ProblemType;
import org.docsgen.store.app.http.routes.Exchange;
import org.docsgen.store.app.http.routes.Params;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.in.ArtifactUseCases;
import org.docsgen.store.ports.in.ArtifactUseCases.TextSlice;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.WriteResult;

/**
 * Artifact routes: streamed PUT and GET/HEAD with the HTTP semantics of ARCHITECTURE.md § Entry
 * points, the run's listing, and overwrite tokens.
 */
final class ArtifactRoutes {
  static final String ARTIFACT_TYPE = "X-Artifact-Type";
  static final String OVERWRITE_TOKEN = "X-Overwrite-Token";
  static final String GENERATION = "X-Artifact-Generation";
  static final String LINE_RANGE = "X-Line-Range";
  private static final int CHUNK = 64 * 1024;
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;.*)?");
  static final String CACHE_PINNED = "private, max-age=31536000, immutable";
  static final String CACHE_LATEST = "private, no-cache";
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final ArtifactUseCases artifacts;
  private final long maxArtifactBytes;

  ArtifactRoutes(ArtifactUseCases artifacts, long maxArtifactBytes) {
    this.artifacts = artifacts;
    this.maxArtifactBytes = maxArtifactBytes;
  }

  // ---- PUT

  void put(Exchange ex) {
    LogicalPath path = ArtifactPaths.fromRequest(ex);
    ArtifactType type = artifactType(ex);
    String mediaType = mediaType(ex);
    boolean createOnly = createOnly(ex);
    long declared = ex.ctx().req().getContentLengthLong();
    if (declared > maxArtifactBytes) {
      throw new PayloadTooLargeException(
          "the artifact (Content-Length " + declared + ")", maxArtifactBytes);
    }
    WriteCommand command =
        new WriteCommand(
            path,
            type,
            mediaType,
            ex.actor(),
            createOnly,
            ex.ctx().header(OVERWRITE_TOKEN),
            maxArtifactBytes);
    WriteResult result;
    // the body is opened when the store first reads it, after every check that needs none
    try (InputStream body = new BodyStream(ex.ctx()::bodyInputStream, maxArtifactBytes, ex)) {
      result = artifacts.write(command, body);
    } catch (IOException e) {
      throw new IllegalStateException("closing the request body failed", e);
    }
    ArtifactInfo info = result.info();
    ex.ctx().header("ETag", Conditionals.etag(info.hash()));
    ex.ctx().header(GENERATION, Integer.toString(info.generation()));
    if (result.outcome() == WriteResult.Outcome.UNCHANGED) {
      ex.json(200, ArtifactJson.of(info));
    } else {
      ex.ctx().header("Location", location(info));
      ex.json(201, ArtifactJson.of(info));
    }
  }

  private static ArtifactType artifactType(Exchange ex) {
    String header = ex.ctx().header(ARTIFACT_TYPE);
    if (header == null || header.isBlank()) {
      throw ApiException.badParameter(
          ARTIFACT_TYPE,
          ARTIFACT_TYPE + " is required: DOCUMENTATION, VALIDATION_REPORT, PLAN, BUNDLE or OTHER");
    }
    return Params.parse(ARTIFACT_TYPE, () -> ArtifactType.parse(header.strip()));
  }

  private static String mediaType(Exchange ex) {
    String header = ex.ctx().header("Content-Type");
    if (header == null || header.isBlank()) {
      return MediaTypes.OCTET_STREAM;
    }
    String value = header.strip();
    if (value.length() > 200 || !MEDIA_TYPE.matcher(value).matches()) {
      throw ApiException.badParameter(
          "Content-Type", "Content-Type must be a media type such as text/markdown; charset=utf-8");
    }
    return value;
  }

  private static boolean createOnly(Exchange ex) {
    String header = ex.ctx().header("If-None-Match");
    if (header == null) {
      return false;
    }
    if (!header.strip().equals("*")) {
      throw ApiException.badParameter(
          "If-None-Match", "on PUT only If-None-Match: * (create only) is supported");
    }
    return true;
  }

  static String location(ArtifactInfo info) {
    return ArtifactPaths.PREFIX + info.path() + "?generation=" + info.generation();
  }

  // ---- GET and HEAD

  void get(Exchange ex) throws IOException {
    read(ex, false);
  }

  void head(Exchange ex) throws IOException {
    read(ex, true);
  }

  private void read(Exchange ex, boolean headOnly) throws IOException {
    LogicalPath path = ArtifactPaths.fromRequest(ex);
    int generation = ex.query("generation").map(g -> Params.positiveInt("generation", g)).orElse(0);
    Optional<Conditionals.Lines> lines = ex.query("lines").map(Conditionals::lines);
    ArtifactInfo info = artifacts.stat(path, generation);
    describe(info, generation != 0, ex.ctx()::header);
    if (lines.isPresent()) {
      slice(ex, info, lines.get(), headOnly);
      return;
    }
    if (Conditionals.noneMatchHits(ex.ctx().header("If-None-Match"), info.hash())) {
      ex.ctx().status(304);
      return;
    }
    Optional<ByteRange> range =
        headOnly
            ? Optional.empty()
            : Conditionals.range(
                ex.ctx().header("Range"), ex.ctx().header("If-Range"), info.hash(), info.size());
    ByteRange clipped = null;
    if (range.isPresent()) {
      if (range.get().first() >= info.size()) {
        throw new ApiException(
            Problem.builder(
                    ProblemType.RANGE_NOT_SATISFIABLE,
                    "range starts at byte "
                        + range.get().first()
                        + " but "
                        + info.path()
                        + " has "
                        + info.size()
                        + " bytes")
                .field("Range")
                .build(),
            Map.of("Content-Range", "bytes */" + info.size()));
      }
      clipped = range.get().clip(info.size());
    }
    ex.ctx().contentType(info.mediaType());
    if (headOnly) {
      ex.ctx().status(200);
      ex.ctx().res().setContentLengthLong(info.size());
      return;
    }
    try (ArtifactContent content = artifacts.open(info, clipped)) {
      if (clipped != null) {
        ex.ctx().status(206);
        ex.ctx()
            .header(
                "Content-Range",
                "bytes " + clipped.first() + "-" + clipped.last() + "/" + info.size());
      } else {
        ex.ctx().status(200);
      }
      ex.ctx().res().setContentLengthLong(content.length());
      stream(ex, content.stream(), content.length());
    }
  }

  /**
   * The headers every read of one artifact version carries, in this order (the direct path, {@link
   * DirectArtifactGet}, writes the same through the same method): ETag, generation, type,
   * Last-Modified, Accept-Ranges, Cache-Control, then {@link ServedContent}'s.
   */
  static void describe(
      ArtifactInfo info, boolean pinnedGeneration, BiConsumer<String, String> put) {
    put.accept("ETag", Conditionals.etag(info.hash()));
    put.accept(GENERATION, Integer.toString(info.generation()));
    put.accept(ARTIFACT_TYPE, info.type().name());
    put.accept("Last-Modified", HTTP_DATE.format(info.createdAt()));
    put.accept("Accept-Ranges", "bytes");
    // a generation never changes; the latest may, so it is revalidated with If-None-Match
    put.accept("Cache-Control", pinnedGeneration ? CACHE_PINNED : CACHE_LATEST);
    ServedContent.describe(info, put);
  }

  private void slice(Exchange ex, ArtifactInfo info, Conditionals.Lines lines, boolean headOnly)
      throws IOException {
    TextSlice slice =
        artifacts.readLines(info.path(), info.generation(), lines.first(), lines.last());
    byte[] bytes = slice.text().getBytes(UTF_8);
    ex.ctx().removeHeader("Accept-Ranges");
    ex.ctx().removeHeader("ETag");
    ex.ctx().header(LINE_RANGE, slice.firstLine() + "-" + slice.lastLine());
    ex.ctx().status(200);
    ex.ctx().contentType("text/plain; charset=utf-8"); // Jetty writes it without the space
    ex.ctx().res().setContentLengthLong(bytes.length);
    if (!headOnly) {
      try (OutputStream out = ex.responseStream()) {
        out.write(bytes);
      }
    }
  }

  /**
   * Copies the content to the response one chunk behind the read: a chunk is written only once the
   * next read succeeded. A whole-content read verifies its hash at end of stream, so when the
   * stored bytes are corrupt the last chunk is never sent — the client sees a response shorter than
   * its Content-Length (the connection is cut), never the complete wrong bytes; content smaller
   * than one chunk is refused with a proper 502 before anything is sent. The chunks are one byte
   * longer than a content shorter than {@link #CHUNK} ({@code length}: the bytes expected), so its
   * first read reaches the end of the stream all the same, without two 64 KiB arrays to allocate
   * and clear for every small GET.
   */
  private static void stream(Exchange ex, InputStream in, long length) throws IOException {
    int chunk = (int) Math.min(CHUNK, length + 1);
    byte[] current = new byte[chunk];
    byte[] next = new byte[chunk];
    // readNBytes returns less than asked only at end of stream, where verification happens
    int n = in.readNBytes(current, 0, chunk);
    OutputStream out = ex.responseStream();
    try {
      while (n > 0) {
        int m = n < chunk ? 0 : in.readNBytes(next, 0, chunk);
        out.write(current, 0, n);
        byte[] swap = current;
        current = next;
        next = swap;
        n = m;
      }
      out.flush();
    } catch (RuntimeException | IOException e) {
      if (ex.ctx().res().isCommitted()) {
        ex.aborted();
      }
      throw e;
    }
  }

  // ---- listing and tokens

  void list(Exchange ex) {
    RunId runId = ex.runId();
    Optional<Stage> stage = ex.query("stage").map(s -> Params.parse("stage", () -> Stage.parse(s)));
    Optional<ArtifactType> type =
        ex.query("type").map(t -> Params.parse("type", () -> ArtifactType.parse(t)));
    ex.json(
        200, PageJson.of(artifacts.listArtifacts(runId, stage, type, ex.page()), ArtifactJson::of));
  }

  void overwriteToken(Exchange ex) {
    RunId runId = ex.runId();
    Requests.RequestOverwriteToken body = ex.body(Requests.RequestOverwriteToken.class);
    if (body.path() == null) {
      throw new ApiException(
          Problem.builder(ProblemType.INVALID_BODY, "field 'path' is required")
              .field("path")
              .build());
    }
    LogicalPath path = Params.parseBody("path", () -> LogicalPath.parse(body.path()));
    if (!path.runId().equals(runId)) {
      throw new ApiException(
          Problem.builder(ProblemType.INVALID_PATH, path + " is not an artifact of run " + runId)
              .field("path")
              .build());
    }
    ex.json(200, OverwriteTokenJson.of(artifacts.requestOverwriteToken(path, ex.actor())));
  }
}
