package org.docsgen.store.app.http.json;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.docsgen.store.ports.in.ExecutionUseCases.ExecutionDetails;

/**
 * One execution in full: the Execution fields, then its issue counts, the first page of its issues
 * (page on through {@code GET /api/runs/{runId}/issues?stage=&attempt=}) and its gate outcome.
 */
public record ExecutionDetailsJson(
    String runId,
    String stage,
    int attempt,
    String status,
    String executor,
    Instant startedAt,
    Instant finishedAt,
    String error,
    List<ArtifactJson> artifacts,
    Map<String, Long> issueCounts,
    PageJson<IssueJson> issues,
    GateJson gate) {

  public static ExecutionDetailsJson of(ExecutionDetails details) {
    ExecutionJson e = ExecutionJson.of(details.execution(), details.artifacts());
    return new ExecutionDetailsJson(
        e.runId(),
        e.stage(),
        e.attempt(),
        e.status(),
        e.executor(),
        e.startedAt(),
        e.finishedAt(),
        e.error(),
        e.artifacts(),
        SeverityCounts.of(details.issueCounts()),
        PageJson.of(details.issues(), IssueJson::of),
        GateJson.of(details.gate(), details.failingIssues()));
  }
}
