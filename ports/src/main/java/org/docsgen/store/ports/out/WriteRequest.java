package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * What to write. With neither {@code createOnly} nor a token, a write creates the path, or is an
 * idempotent success when the same bytes are already there, and is refused otherwise. {@code
 * createOnly} ({@code If-None-Match: *}) refuses whenever the path exists. {@code overwriteToken}
 * (may be null) permits replacing the exact version the token was minted for.
 */
public record WriteRequest(
    LogicalPath path,
    ArtifactType type,
    String mediaType,
    String createdBy,
    boolean createOnly,
    String overwriteToken) {
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
    return new WriteRequest(path, type, mediaType, createdBy, true, overwriteToken);
  }

  public WriteRequest withToken(String token) {
    return new WriteRequest(path, type, mediaType, createdBy, createOnly, token);
  }
}
