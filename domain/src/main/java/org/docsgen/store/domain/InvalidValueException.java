package org.docsgen.store.domain;

import static java.util.Objects.requireNonNull;

/**
 * A value that does not satisfy the domain grammar (a malformed run id, stage, logical path, hash,
 * ...). The message says what was wrong and how to fix it; {@link #field()} names the input that
 * was rejected.
 */
public final class InvalidValueException extends IllegalArgumentException {
  private final String field;

  public InvalidValueException(String field, String message) {
    super(requireNonNull(message, "message is null"));
    this.field = requireNonNull(field, "field is null");
  }

  /** The name of the rejected input, e.g. {@code path}, {@code runId}, {@code stage}. */
  public String field() {
    return field;
  }
}
