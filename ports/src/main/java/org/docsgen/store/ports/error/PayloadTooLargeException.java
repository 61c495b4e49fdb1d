package org.docsgen.store.ports.error;

import org.docsgen.store.domain.artifact.LogicalPath;

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

  /**
   * Lines {@code first..last} of {@code path} would be more than {@code limit} bytes ({@code
   * server.maxPreviewBytes}): the one refusal of an oversized preview, over HTTP and the CLI.
   */
  public static PayloadTooLargeException preview(
      LogicalPath path, int first, int last, long limit) {
    return new PayloadTooLargeException(
        "lines",
        "lines "
            + first
            + "-"
            + last
            + " of "
            + path
            + " are larger than server.maxPreviewBytes ("
            + limit
            + " bytes); ask for fewer lines, or read the artifact whole (over HTTP also by byte"
            + " range)",
        limit);
  }

  public long limit() {
    return limit;
  }
}
