package org.docsgen.store.domain.diff;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.MediaTypes;
import org.docsgen.store.domain.issue.Fingerprint;
import org.docsgen.store.domain.issue.IssueLocation;
import org.docsgen.store.domain.issue.ValidationIssue;

/**
 * What changed between two sides of a diff (two executions of a stage, or two runs).
 *
 * <p>Artifacts are compared by the caller's key: a key on one side only is ADDED or REMOVED; a key
 * on both sides whose hashes differ is MODIFIED (equal hashes are equal content, whatever the
 * generation). A modified pair gets a unified diff when the {@link TextSource} has text for both
 * and the pair is within the {@link DiffLimits}: both sides at most {@code maxTextBytes} (checked
 * on the indexed sizes, before any text is read) and the edit script found within the edit budget
 * (each pair at most {@code editBudgetPerPair}, all pairs of one diff together {@code
 * editBudgetPerDiff}, spent in key order). A text pair past a limit is still MODIFIED, with no
 * unified diff and {@link ArtifactChange.Omission#TOO_LARGE}.
 *
 * <p>Issues are compared by {@link Fingerprint} as multisets: when a fingerprint occurs {@code f}
 * times on the {@code from} side and {@code t} times on the {@code to} side, {@code min(f, t)} of
 * them persist and the surplus is new (when {@code t > f}) or fixed (when {@code f > t}). Within
 * one fingerprint both sides are paired in location order (line, column, then id), so the issues
 * reported new or fixed are the ones furthest down the file. Every list is sorted by file, line,
 * rule and id.
 */
public final class DiffCalculator {
  /** Context lines around each change in a unified diff. */
  public static final int CONTEXT = 3;

  static final Comparator<ValidationIssue> LOCATION_ORDER =
      Comparator.comparing(ValidationIssue::location, DiffCalculator::compareLocations)
          .thenComparingLong(ValidationIssue::id);

  static final Comparator<ValidationIssue> REPORT_ORDER =
      Comparator.comparing(ValidationIssue::file)
          .thenComparing(ValidationIssue::location, DiffCalculator::compareLocations)
          .thenComparing(ValidationIssue::rule)
          .thenComparingLong(ValidationIssue::id);

  private DiffCalculator() {}

  /** {@link #diff(String, String, Map, Map, List, List, TextSource, DiffLimits)} by default. */
  public static DiffReport diff(
      String fromLabel,
      String toLabel,
      Map<String, ArtifactInfo> from,
      Map<String, ArtifactInfo> to,
      List<ValidationIssue> fromIssues,
      List<ValidationIssue> toIssues,
      TextSource text) {
    return diff(fromLabel, toLabel, from, to, fromIssues, toIssues, text, DiffLimits.DEFAULTS);
  }

  /**
   * The diff from {@code from} to {@code to}. The maps are keyed by the caller ({@code <name>}
   * between executions, {@code <stage>/<name>} between runs); unified diff headers name each side
   * {@code <label>/<key>}.
   */
  public static DiffReport diff(
      String fromLabel,
      String toLabel,
      Map<String, ArtifactInfo> from,
      Map<String, ArtifactInfo> to,
      List<ValidationIssue> fromIssues,
      List<ValidationIssue> toIssues,
      TextSource text,
      DiffLimits limits) {
    requireNonNull(fromLabel, "fromLabel is null");
    requireNonNull(toLabel, "toLabel is null");
    requireNonNull(text, "text is null");
    requireNonNull(limits, "limits is null");
    TextDiffer differ = new TextDiffer(text, limits);
    List<ArtifactChange> changes = changes(fromLabel, toLabel, from, to, differ);
    IssueLineage lineage = IssueLineage.of(fromIssues, toIssues);
    return new DiffReport(
        fromLabel, toLabel, changes, lineage.fresh(), lineage.fixed(), lineage.persisting());
  }

  private static List<ArtifactChange> changes(
      String fromLabel,
      String toLabel,
      Map<String, ArtifactInfo> from,
      Map<String, ArtifactInfo> to,
      TextDiffer differ) {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    TreeSet<String> keys = new TreeSet<>(from.keySet());
    keys.addAll(to.keySet());
    List<ArtifactChange> changes = new ArrayList<>();
    for (String key : keys) {
      ArtifactInfo before = from.get(key);
      ArtifactInfo after = to.get(key);
      if (before == null) {
        changes.add(new ArtifactChange(key, ArtifactChange.Kind.ADDED, null, after, null));
      } else if (after == null) {
        changes.add(new ArtifactChange(key, ArtifactChange.Kind.REMOVED, before, null, null));
      } else if (!before.hash().equals(after.hash())) {
        changes.add(
            differ.modified(key, fromLabel + "/" + key, toLabel + "/" + key, before, after));
      }
    }
    return changes;
  }

  /** The unified diffs of one report, within its limits and sharing its edit budget. */
  private static final class TextDiffer {
    private final TextSource text;
    private final DiffLimits limits;
    private final EditBudget shared;

    TextDiffer(TextSource text, DiffLimits limits) {
      this.text = text;
      this.limits = limits;
      this.shared = EditBudget.of(limits.editBudgetPerDiff());
    }

    ArtifactChange modified(
        String key, String fromName, String toName, ArtifactInfo before, ArtifactInfo after) {
      ArtifactChange.Kind kind = ArtifactChange.Kind.MODIFIED;
      if (!MediaTypes.isText(before.mediaType()) || !MediaTypes.isText(after.mediaType())) {
        return new ArtifactChange(key, kind, before, after, null);
      }
      if (before.size() > limits.maxTextBytes() || after.size() > limits.maxTextBytes()) {
        return new ArtifactChange(
            key, kind, before, after, null, ArtifactChange.Omission.TOO_LARGE);
      }
      Optional<String> a = text.text(before);
      Optional<String> b = a.isEmpty() ? Optional.empty() : text.text(after);
      if (b.isEmpty()) {
        return new ArtifactChange(key, kind, before, after, null);
      }
      EditBudget budget = EditBudget.of(Math.min(limits.editBudgetPerPair(), shared.remaining()));
      Optional<String> unified =
          UnifiedDiff.within(fromName, toName, a.get(), b.get(), CONTEXT, budget);
      shared.spend(budget.spent());
      return unified
          .map(diff -> new ArtifactChange(key, kind, before, after, diff))
          .orElseGet(
              () ->
                  new ArtifactChange(
                      key, kind, before, after, null, ArtifactChange.Omission.TOO_LARGE));
    }
  }

  static int compareLocations(IssueLocation a, IssueLocation b) {
    Comparator<Integer> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
    int byLine = nullsFirst.compare(a.line(), b.line());
    return byLine != 0 ? byLine : nullsFirst.compare(a.column(), b.column());
  }

  /** Issue lineage by fingerprint multiset (see the class comment). */
  private record IssueLineage(
      List<ValidationIssue> fresh, List<ValidationIssue> fixed, List<ValidationIssue> persisting) {

    static IssueLineage of(List<ValidationIssue> fromIssues, List<ValidationIssue> toIssues) {
      Map<Fingerprint, List<ValidationIssue>> before = byFingerprint(fromIssues, "fromIssues");
      Map<Fingerprint, List<ValidationIssue>> after = byFingerprint(toIssues, "toIssues");
      List<ValidationIssue> fresh = new ArrayList<>();
      List<ValidationIssue> fixed = new ArrayList<>();
      List<ValidationIssue> persisting = new ArrayList<>();
      for (Map.Entry<Fingerprint, List<ValidationIssue>> entry : after.entrySet()) {
        List<ValidationIssue> to = entry.getValue();
        int paired = Math.min(to.size(), before.getOrDefault(entry.getKey(), List.of()).size());
        persisting.addAll(to.subList(0, paired));
        fresh.addAll(to.subList(paired, to.size()));
      }
      for (Map.Entry<Fingerprint, List<ValidationIssue>> entry : before.entrySet()) {
        List<ValidationIssue> from = entry.getValue();
        int paired = Math.min(from.size(), after.getOrDefault(entry.getKey(), List.of()).size());
        fixed.addAll(from.subList(paired, from.size()));
      }
      fresh.sort(REPORT_ORDER);
      fixed.sort(REPORT_ORDER);
      persisting.sort(REPORT_ORDER);
      return new IssueLineage(fresh, fixed, persisting);
    }

    private static Map<Fingerprint, List<ValidationIssue>> byFingerprint(
        List<ValidationIssue> issues, String name) {
      requireNonNull(issues, name + " is null");
      Map<Fingerprint, List<ValidationIssue>> groups = new LinkedHashMap<>();
      for (ValidationIssue issue : issues) {
        groups.computeIfAbsent(issue.fingerprint(), f -> new ArrayList<>()).add(issue);
      }
      groups.values().forEach(group -> group.sort(LOCATION_ORDER));
      return groups;
    }
  }
}
