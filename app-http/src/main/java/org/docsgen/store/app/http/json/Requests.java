package org.docsgen.store.app.http.json;

import java.util.List;

/**
 * The JSON request bodies the API accepts. Fields are as named here, unknown fields are refused,
 * and no body names the actor: the actor is always the bearer token's principal.
 */
public final class Requests {
  private Requests() {}

  /** {@code POST /api/runs}: core file names (default: the standard 43) and the README flag. */
  public record CreateRun(List<String> coreFiles, Boolean bundleReadme) {}

  /** {@code POST …/executions/{attempt}/finish}: SUCCEEDED, FAILED or GATE_FAILED, and an error. */
  public record FinishExecution(String status, String error) {}

  /** One issue as a validator reports it. */
  public record NewIssue(
      String stage,
      Integer attempt,
      String file,
      String rule,
      String severity,
      String message,
      LocationJson location,
      String validator) {}

  /** {@code POST /api/runs/{runId}/issues}: issues recorded all or none. */
  public record RecordIssues(List<NewIssue> issues) {}

  /** {@code POST /api/runs/{runId}/approvals}: APPROVED, REJECTED or REVOKED for a stage. */
  public record Decide(String stage, String decision, String comment) {}

  /** {@code POST /api/runs/{runId}/overwrite-tokens}: the artifact path to overwrite. */
  public record RequestOverwriteToken(String path) {}
}
