package org.docsgen.store.ports.error;

/**
 * The content is larger than a configured maximum: the artifact size ({@code body}), or a line
 * preview ({@code lines}, {@code server.maxPreviewBytes}).
 */
public final class PayloadTooLargeException extends InvalidInputException {
  private final long limit;

  public PayloadTooLargeException(String what, long limit) {
    this("body", what + " is larger than the maximum of " + limit + " bytes", limit);
  }

  /** Too large input named {@code field}; {@code message} says which limit and what to do. */
  public PayloadTooLargeException(String field, String message, long limit) {
    super(field, message);
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
