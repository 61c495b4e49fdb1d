package org.docsgen.store.app.http.json;

import java.time.Instant;
import org.docsgen.store.ports.in.ArtifactUseCases.OverwriteTokenGrant;

/**
 * An overwrite token (send it as {@code X-Overwrite-Token} on the PUT) and the exact version it
 * permits replacing, until {@code expiresAt}.
 */
public record OverwriteTokenJson(
    String token, String path, int generation, String hash, Instant expiresAt) {

  public static OverwriteTokenJson of(OverwriteTokenGrant grant) {
    return new OverwriteTokenJson(
        grant.token(),
        grant.expected().path().toString(),
        grant.expected().generation(),
        grant.expected().hash().toString(),
        grant.expiresAt());
  }
}
