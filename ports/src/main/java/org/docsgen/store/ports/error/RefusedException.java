package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

/**
 * A request that is well-formed but refused by a rule (immutability, the gate, execution state).
 * {@link #code()} is a stable, kebab-case identifier of the rule, e.g. {@code
 * no-running-execution}, {@code execution-not-running}, {@code execution-already-running}.
 */
public sealed class RefusedException extends StoreException
    permits ImmutableException, AlreadyExistsException, GateNotPassedException {
  private final String code;

  public RefusedException(String code, String message) {
    super(message);
    this.code = requireNonNull(code, "code is null");
  }

  public String code() {
    return code;
  }
}
