package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

/**
 * Input that can never succeed as given (bad field, unsatisfiable range, too large). {@link
 * #field()} names the input. Domain grammar errors arrive as {@code InvalidValueException} from the
 * domain and are treated the same way by the entry points.
 */
public sealed class InvalidInputException extends StoreException
    permits PayloadTooLargeException, RangeNotSatisfiableException {
  private final String field;

  public InvalidInputException(String field, String message) {
    super(message);
    this.field = requireNonNull(field, "field is null");
  }

  public String field() {
    return field;
  }
}
