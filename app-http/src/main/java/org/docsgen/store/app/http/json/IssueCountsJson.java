package org.docsgen.store.app.http.json;

import java.util.Map;
import org.docsgen.store.domain.issue.Severity;

/** {@code GET /api/runs/{runId}/issues?groupBy=severity}: matching issues counted per severity. */
public record IssueCountsJson(String groupBy, Map<String, Long> counts) {

  public static IssueCountsJson bySeverity(Map<Severity, Long> counts) {
    return new IssueCountsJson("severity", SeverityCounts.of(counts));
  }
}
