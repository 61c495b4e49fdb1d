package org.docsgen.store.app.http.problem;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An HTTP-level refusal raised by the API itself (bad header, unsupported media type, missing
 * token, ...), carrying the problem to answer and any headers that go with it (e.g. {@code
 * WWW-Authenticate}, {@code Content-Range}).
 */
public final class ApiException extends RuntimeException {
  private final transient Problem problem;
  private final Map<String, String> headers;

  public ApiException(Problem problem, Map<String, String> headers) {
    super(requireNonNull(problem, "problem is null").detail(), null, false, false);
    this.problem = problem;
    this.headers = Map.copyOf(headers);
  }

  public ApiException(Problem problem) {
    this(problem, Map.of());
  }

  public static ApiException of(ProblemType kind, String detail) {
    return new ApiException(Problem.of(kind, detail));
  }

  /** A 400 naming the request parameter, header or path parameter at fault. */
  public static ApiException badParameter(String field, String detail) {
    return new ApiException(
        Problem.builder(ProblemType.INVALID_PARAMETER, detail).field(field).build());
  }

  public Problem problem() {
    return problem;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
