package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
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
 */
public record WriteRequest(
    LogicalPath path,
    ArtifactType type,
    String mediaType,
    String createdBy,
    boolean createOnly,
    String overwriteToken,
    Instant tokenPresentedAt) {
  public WriteRequest(
      LogicalPath path,
      ArtifactType type,
      String mediaType,
      String createdBy,
      boolean createOnly,
      String overwriteToken) {
    this(path, type, mediaType, createdBy, createOnly, overwriteToken, null);
  }

  public WriteRequest {
    requireNonNull(path, "path is null");
    requireNonNull(type, "type is null");
    requireNonNull(mediaType, "mediaType is null");
    requireNonNull(createdBy, "createdBy is null");
    if (overwriteToken != null && overwriteToken.isEmpty()) {
      overwriteToken = null;
    }
  }

  public static WriteRequest create(
      LogicalPath path, ArtifactType type, String mediaType, String createdBy) {
    return new WriteRequest(path, type, mediaType, createdBy, false, null);
  }

  public WriteRequest asCreateOnly() {
    return new WriteRequest(
        path, type, mediaType, createdBy, true, overwriteToken, tokenPresentedAt);
  }

  public WriteRequest withToken(String token) {
    return new WriteRequest(path, type, mediaType, createdBy, createOnly, token, tokenPresentedAt);
  }

  /** The same request with its token's expiry judged at {@code presentedAt}. */
  public WriteRequest withTokenPresentedAt(Instant presentedAt) {
    return new WriteRequest(
        path, type, mediaType, createdBy, createOnly, overwriteToken, presentedAt);
  }
}
