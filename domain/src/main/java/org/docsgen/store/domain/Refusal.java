package org.docsgen.store.domain;

import static java.util.Objects.requireNonNull;

/**
 * A rule said no: a stable machine-readable {@code code} (e.g. {@code stage-approved}) and a
 * sentence saying why and what to do about it.
 */
public record Refusal(String code, String reason) {
  public Refusal {
    requireNonNull(code, "code is null");
    requireNonNull(reason, "reason is null");
  }

  @Override
  public String toString() {
    return code + ": " + reason;
  }
}
