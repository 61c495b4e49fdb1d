package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * What to write. With neither {@code createOnly} nor a token, a write creates the path, or is an
 * idempotent success when the same bytes are already there, and is refused otherwise. {@code
 * createOnly} ({@code If-None-Match: *}) refuses whenever the path exists. {@code overwriteToken}
 * (may be null) permits replacing the exact version the token was minted for; its expiry is judged
 * at {@code tokenPresentedAt} (when the request carrying it arrived; null = when the store
 * decides), so a slow upload never fails for a token that was valid when it started. The token is
 * consumed where the write commits: the store's compare-and-swap of the generation it replaces.
 *
 * <p>{@code indexed} (may be null) is the latest version of the path the caller's manifest indexes,
 * the final arbiter across servers. A store whose creates are atomic (filesystem, JDBC) has one
 * candidate per generation and may ignore it. A store that can hold several candidates for one
 * generation (S3 on an endpoint whose conditional puts are not atomic) decides the write against
 * the indexed candidate when it is one of the candidates of its latest generation, so an identical
 * retry of the indexed bytes is {@code UNCHANGED} and a token minted for the indexed version is
 * honoured, whichever candidate the store itself would have named.
 */
public record WriteRequest(
    LogicalPath path,
    ArtifactType type,
    String mediaType,
    String createdBy,
    boolean createOnly,
    String overwriteToken,
    Instant tokenPresentedAt,
    ArtifactInfo indexed) {
  public WriteRequest {
    requireNonNull(path, "path is null");
    requireNonNull(type, "type is null");
    requireNonNull(mediaType, "mediaType is null");
    requireNonNull(createdBy, "createdBy is null");
    if (overwriteToken != null && overwriteToken.isEmpty()) {
      overwriteToken = null;
    }
    if (indexed != null && !indexed.path().equals(path)) {
      throw new IllegalArgumentException(
          "the indexed version is of " + indexed.path() + ", not of " + path);
    }
  }

  /**
   * A request without the manifest's view or an arrival time ({@code indexed}, {@code
   * tokenPresentedAt} null).
   */
  public WriteRequest(
      LogicalPath path,
      ArtifactType type,
      String mediaType,
      String createdBy,
      boolean createOnly,
      String overwriteToken) {
    this(path, type, mediaType, createdBy, createOnly, overwriteToken, null, null);
  }

  public static WriteRequest create(
      LogicalPath path, ArtifactType type, String mediaType, String createdBy) {
    return new WriteRequest(path, type, mediaType, createdBy, false, null, null, null);
  }

  public WriteRequest asCreateOnly() {
    return new WriteRequest(
        path, type, mediaType, createdBy, true, overwriteToken, tokenPresentedAt, indexed);
  }

  public WriteRequest withToken(String token) {
    return new WriteRequest(
        path, type, mediaType, createdBy, createOnly, token, tokenPresentedAt, indexed);
  }

  /** The same request with its token's expiry judged at {@code presentedAt}. */
  public WriteRequest withTokenPresentedAt(Instant presentedAt) {
    return new WriteRequest(
        path, type, mediaType, createdBy, createOnly, overwriteToken, presentedAt, indexed);
  }

  /** The same request carrying the manifest's latest indexed version of the path (or null). */
  public WriteRequest withIndexed(ArtifactInfo latestIndexed) {
    return new WriteRequest(
        path,
        type,
        mediaType,
        createdBy,
        createOnly,
        overwriteToken,
        tokenPresentedAt,
        latestIndexed);
  }
}
