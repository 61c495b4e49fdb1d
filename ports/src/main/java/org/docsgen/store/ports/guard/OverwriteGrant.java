package org.docsgen.store.ports.guard;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.docsgen.store.domain.artifact.ArtifactVersion;

/**
 * What a valid overwrite token permits: replacing exactly {@code expected}, until {@code
 * expiresAt}.
 */
public record OverwriteGrant(ArtifactVersion expected, Instant expiresAt) {
  public OverwriteGrant {
    requireNonNull(expected, "expected is null");
    requireNonNull(expiresAt, "expiresAt is null");
  }
}
