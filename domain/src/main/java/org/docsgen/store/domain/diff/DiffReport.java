package org.docsgen.store.domain.diff;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.docsgen.store.domain.issue.ValidationIssue;

/**
 * What changed between two sides ({@code from}, {@code to}: {@code <stage>@<attempt>} or a run id):
 * artifacts added, removed and modified (sorted by key), and issue lineage by fingerprint — new
 * (only in {@code to}), fixed (only in {@code from}), persisting (in both; the {@code to} side's
 * issue is listed).
 */
public record DiffReport(
    String from,
    String to,
    List<ArtifactChange> changes,
    List<ValidationIssue> newIssues,
    List<ValidationIssue> fixedIssues,
    List<ValidationIssue> persistingIssues) {
  public DiffReport {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    changes = List.copyOf(changes);
    newIssues = List.copyOf(newIssues);
    fixedIssues = List.copyOf(fixedIssues);
    persistingIssues = List.copyOf(persistingIssues);
  }
}
