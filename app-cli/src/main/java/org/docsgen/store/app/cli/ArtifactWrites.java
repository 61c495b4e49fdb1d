package org.docsgen.store.app.cli;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.in.ArtifactUseCases;
import org.docsgen.store.ports.in.ArtifactUseCases.WriteCommand;
import org.docsgen.store.ports.out.WriteResult;

/** Writing one artifact from the command line ({@code put} and {@code import} share it). */
final class ArtifactWrites {
  private static final Map<String, String> MEDIA_TYPES =
      Map.ofEntries(
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("markdown", "text/markdown; charset=utf-8"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"),
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("yaml", "application/yaml"),
          Map.entry("yml", "application/yaml"),
          Map.entry("xml", "application/xml"),
          Map.entry("zip", MediaTypes.ZIP),
          Map.entry("pdf", "application/pdf"),
          Map.entry("png", "image/png"),
          Map.entry("svg", "image/svg+xml"));

  private ArtifactWrites() {}

  /** How to write: the type, media type (null = by extension) and the overwrite inputs. */
  record Options(
      ArtifactType type,
      String mediaType,
      boolean createOnly,
      String overwriteToken,
      boolean overwrite,
      long maxBytes) {}

  /** The media type for a file name: by its extension, else {@code application/octet-stream}. */
  static String mediaTypeOf(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return MEDIA_TYPES.getOrDefault(ext, MediaTypes.OCTET_STREAM);
  }

  /**
   * Writes {@code content} (streamed, never held whole) to {@code path}. With {@code overwrite} and
   * no explicit token, a token is asked from the policy first when the path exists; a refusal of
   * that request is not final, since identical bytes need no token.
   */
  static WriteResult write(
      ArtifactUseCases artifacts,
      LogicalPath path,
      Options options,
      String actor,
      InputStream content) {
    String token = options.overwriteToken();
    if (token == null && options.overwrite()) {
      token = tokenIfExists(artifacts, path, actor);
    }
    String mediaType =
        options.mediaType() != null ? options.mediaType() : mediaTypeOf(path.fileName());
    WriteCommand command =
        new WriteCommand(
            path,
            options.type(),
            mediaType,
            actor,
            options.createOnly(),
            token,
            options.maxBytes());
    return artifacts.write(command, content);
  }

  private static String tokenIfExists(ArtifactUseCases artifacts, LogicalPath path, String actor) {
    try {
      return artifacts.requestOverwriteToken(path, actor).token();
    } catch (NotFoundException e) {
      return null; // a new path needs no token
    } catch (ImmutableException e) {
      return null; // the write itself refuses, unless the bytes are identical
    }
  }

  static String describe(WriteResult result) {
    var info = result.info();
    return switch (result.outcome()) {
          case CREATED -> "created    ";
          case UNCHANGED -> "unchanged  ";
          case OVERWRITTEN -> "overwritten";
        }
        + " "
        + info.path()
        + "  generation "
        + info.generation()
        + "  "
        + info.hash()
        + "  "
        + info.size()
        + " bytes";
  }
}
