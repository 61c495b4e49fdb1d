package org.docsgen.store.app.http.problem;

/**
 * The kinds of problem the API answers, each with a stable {@code type} URI ({@value #BASE}<slug>),
 * an HTTP status and a title (RFC 9457). Rule refusals that have no kind of their own (e.g. {@code
 * execution-already-running}) use {@link #REFUSED}'s status with a type built from their code.
 */
public enum ProblemType {
  INVALID_PATH("invalid-path", 400, "Invalid artifact path"),
  INVALID_BODY("invalid-body", 400, "Invalid request body"),
  INVALID_PARAMETER("invalid-parameter", 400, "Invalid request parameter"),
  BAD_REQUEST("bad-request", 400, "Bad request"),
  UNAUTHORIZED("unauthorized", 401, "Authentication required"),
  FORBIDDEN("forbidden", 403, "Not permitted for this role"),
  NOT_FOUND("not-found", 404, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  IMMUTABLE_POLICY("immutable-policy", 409, "Refused by the immutability policy"),
  IMMUTABLE_STORE("immutable-store", 409, "Refused by the artifact store's guard"),
  GATE_NOT_PASSED("gate-not-passed", 409, "Final validation has not passed"),
  NO_RUNNING_EXECUTION("no-running-execution", 409, "No running execution for this stage"),
  REFUSED("refused", 409, "Refused by a rule"),
  PRECONDITION_FAILED("precondition-failed", 412, "Precondition failed"),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
  RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
  INTERNAL_ERROR("internal-error", 500, "Internal server error"),
  INTEGRITY_FAILURE("integrity-failure", 502, "Stored content does not match its hash"),
  BACKEND_UNAVAILABLE("backend-unavailable", 503, "Storage backend unavailable");

  public static final String BASE = "https://docsgen.dev/problems/";

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  public String uri() {
    return BASE + slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
