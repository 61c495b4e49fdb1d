package org.docsgen.store.app.http.json;

import java.util.List;
import org.docsgen.store.domain.diff.ArtifactChange;
import org.docsgen.store.domain.diff.DiffReport;

/**
 * What changed between {@code from} and {@code to}: artifacts added, removed, modified (with a
 * unified diff for small text), and issues new, fixed and persisting (matched by fingerprint).
 */
public record DiffJson(
    String from,
    String to,
    List<Change> changes,
    List<IssueJson> newIssues,
    List<IssueJson> fixedIssues,
    List<IssueJson> persistingIssues) {

  /**
   * One changed artifact; {@code from} is null when added, {@code to} when removed. A modified text
   * past {@code diff.maxTextBytes} or the edit budget has {@code unifiedDiff} null and {@code
   * diffOmitted} {@code "too-large"}; otherwise {@code diffOmitted} is null.
   */
  public record Change(
      String key,
      String kind,
      ArtifactJson from,
      ArtifactJson to,
      String unifiedDiff,
      String diffOmitted) {
    static Change of(ArtifactChange change) {
      return new Change(
          change.key(),
          change.kind().name(),
          ArtifactJson.of(change.from()),
          ArtifactJson.of(change.to()),
          change.unifiedDiff(),
          change.diffOmitted() == null ? null : change.diffOmitted().label());
    }
  }

  public static DiffJson of(DiffReport report) {
    return new DiffJson(
        report.from(),
        report.to(),
        report.changes().stream().map(Change::of).toList(),
        report.newIssues().stream().map(IssueJson::of).toList(),
        report.fixedIssues().stream().map(IssueJson::of).toList(),
        report.persistingIssues().stream().map(IssueJson::of).toList());
  }
}
