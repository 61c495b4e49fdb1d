package org.docsgen.store.ports.error;

/** The content is larger than the configured maximum artifact size. */
public final class PayloadTooLargeException extends InvalidInputException {
  private final long limit;

  public PayloadTooLargeException(String what, long limit) {
    super("body", what + " is larger than the maximum of " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
