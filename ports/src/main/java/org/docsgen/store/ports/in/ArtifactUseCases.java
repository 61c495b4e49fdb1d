package org.docsgen.store.ports.in;

import static java.util.Objects.requireNonNull;

import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.out.WriteResult;

/** Write, read, list artifacts and obtain overwrite tokens, through both immutability layers. */
public interface ArtifactUseCases {

  /**
   * Writes an artifact through both layers, attributed to the stage's RUNNING execution: the bytes
   * go to the artifact store first, the manifest index second, so the manifest never claims content
   * the store lacks (fsck reports the reverse drift).
   *
   * @throws org.docsgen.store.ports.error.NotFoundException unknown run
   * @throws org.docsgen.store.ports.error.RefusedException {@code no-running-execution}
   * @throws org.docsgen.store.ports.error.ImmutableException refused by the policy or the guard
   * @throws org.docsgen.store.ports.error.AlreadyExistsException create-only, path exists
   */
  WriteResult write(WriteCommand command, InputStream content);

  /**
   * Opens an indexed version (latest when {@code generation} is 0), whole or a byte range.
   *
   * @throws org.docsgen.store.ports.error.NotFoundException unknown path or generation
   */
  ArtifactContent read(LogicalPath path, int generation, ByteRange range);

  /**
   * Opens the version {@code indexed}, which {@link #stat} returned, whole or a byte range, without
   * looking it up in the manifest again (a GET states first for its conditionals, then streams).
   *
   * @throws org.docsgen.store.ports.error.IntegrityException indexed but missing from the store
   */
  ArtifactContent open(ArtifactInfo indexed, ByteRange range);

  /** The indexed version (latest when {@code generation} is 0). */
  ArtifactInfo stat(LogicalPath path, int generation);

  /**
   * Lines {@code first..last} (1-based, inclusive, clipped at the end) of a text artifact. Memory
   * is bounded by {@code server.maxPreviewBytes} whatever the artifact's size: lines before {@code
   * first} stream through, and the read stops once the slice would pass the limit.
   *
   * @throws org.docsgen.store.ports.error.RangeNotSatisfiableException {@code first} is past the
   *     last line
   * @throws org.docsgen.store.ports.error.PayloadTooLargeException the slice is larger than {@code
   *     server.maxPreviewBytes} (field {@code lines})
   * @throws org.docsgen.store.ports.error.InvalidInputException not a text artifact
   */
  TextSlice readLines(LogicalPath path, int generation, int first, int last);

  /** Latest versions of a run's artifacts, optionally of one stage and type, sorted by path. */
  Page<ArtifactInfo> listArtifacts(
      RunId runId, Optional<Stage> stage, Optional<ArtifactType> type, PageRequest page);

  /**
   * Asks the immutability policy for a token to overwrite the current version of {@code path}.
   *
   * @throws org.docsgen.store.ports.error.ImmutableException refused by the policy
   */
  OverwriteTokenGrant requestOverwriteToken(LogicalPath path, String actor);

  /** A write: the artifact's path, type and media type, the actor, and the guard's inputs. */
  record WriteCommand(
      LogicalPath path,
      ArtifactType type,
      String mediaType,
      String actor,
      boolean createOnly,
      String overwriteToken,
      long maxBytes) {
    public WriteCommand {
      requireNonNull(path, "path is null");
      requireNonNull(type, "type is null");
      requireNonNull(mediaType, "mediaType is null");
      requireNonNull(actor, "actor is null");
    }
  }

  /** A slice of a text artifact's lines, as UTF-8 text ending with a newline per line. */
  record TextSlice(ArtifactInfo info, int firstLine, int lastLine, String text) {}

  /** An overwrite token and the version it permits replacing. */
  record OverwriteTokenGrant(String token, ArtifactVersion expected, Instant expiresAt) {}
}
