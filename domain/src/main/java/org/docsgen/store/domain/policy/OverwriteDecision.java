package org.docsgen.store.domain.policy;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.Refusal;
import org.docsgen.store.domain.artifact.ArtifactVersion;

/**
 * The immutability policy's answer: an overwrite of {@code expected} is allowed, or refused for a
 * reason (a stable {@code code} plus a sentence saying why and what to do).
 */
public sealed interface OverwriteDecision {
  record Allowed(ArtifactVersion expected) implements OverwriteDecision {
    public Allowed {
      requireNonNull(expected, "expected is null");
    }
  }

  record Refused(String code, String reason) implements OverwriteDecision {
    public Refused {
      requireNonNull(code, "code is null");
      requireNonNull(reason, "reason is null");
    }

    /** The same refusal as a {@link Refusal}. */
    public Refusal refusal() {
      return new Refusal(code, reason);
    }
  }
}
