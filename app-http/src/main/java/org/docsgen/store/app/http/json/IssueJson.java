package org.docsgen.store.app.http.json;

import org.docsgen.store.domain.issue.ValidationIssue;

/**
 * A validation issue with the artifact version it refers to ({@code file} + {@code generation}) and
 * its deep link ({@code /api/artifacts/<file>?generation=N&lines=A-B}).
 */
public record IssueJson(
    long id,
    String runId,
    String stage,
    int attempt,
    String file,
    int generation,
    String rule,
    String severity,
    String message,
    LocationJson location,
    String validator,
    String fingerprint,
    String link) {

  public static IssueJson of(ValidationIssue issue) {
    return new IssueJson(
        issue.id(),
        issue.runId().toString(),
        issue.stage().toString(),
        issue.attempt(),
        issue.file().toString(),
        issue.generation(),
        issue.rule(),
        issue.severity().name(),
        issue.message(),
        LocationJson.of(issue.location()),
        issue.validator(),
        issue.fingerprint().toString(),
        issue.link());
  }
}
