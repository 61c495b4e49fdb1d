package org.docsgen.store.domain.gate;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;

/**
 * The open {@code ERROR} issues that keep a gate closed, one entry per issue as {@code {rule,
 * file}}: at most {@link #MAX_LISTED} are listed (the first recorded, by issue id, shown in file
 * and line order), {@code total} counts all of them. Empty when no ERROR issue is recorded against
 * the attempt (a gate can still fail then: no execution, or not SUCCEEDED).
 */
public record FailingIssues(List<Issue> listed, long total) {
  /** A refusal lists this many issues at most; {@code total} says how many there are. */
  public static final int MAX_LISTED = 100;

  private static final Comparator<ValidationIssue> DISPLAY_ORDER =
      Comparator.comparing(ValidationIssue::file)
          .thenComparing(ValidationIssue::location, GateEvaluator::compareLocations)
          .thenComparingLong(ValidationIssue::id);

  /** One open ERROR issue: the rule it broke and the file it was found in. */
  public record Issue(String rule, LogicalPath file) {
    public Issue {
      requireNonNull(rule, "rule is null");
      requireNonNull(file, "file is null");
    }
  }

  public FailingIssues {
    listed = List.copyOf(listed);
    if (total < listed.size()) {
      throw new IllegalArgumentException(
          "total " + total + " is less than the " + listed.size() + " issues listed");
    }
  }

  public static FailingIssues none() {
    return new FailingIssues(List.of(), 0);
  }

  /**
   * The ERROR issues among {@code issues} (other severities are ignored): the first {@link
   * #MAX_LISTED} by id, in file and line order; {@code total} is the number of ERROR issues of the
   * attempt (at least the ERROR issues given).
   */
  public static FailingIssues of(Collection<ValidationIssue> issues, long total) {
    requireNonNull(issues, "issues is null");
    List<ValidationIssue> errors =
        issues.stream()
            .filter(i -> i.severity() == Severity.ERROR)
            .sorted(Comparator.comparingLong(ValidationIssue::id))
            .limit(MAX_LISTED)
            .sorted(DISPLAY_ORDER)
            .toList();
    long errorCount = issues.stream().filter(i -> i.severity() == Severity.ERROR).count();
    return new FailingIssues(
        errors.stream().map(i -> new Issue(i.rule(), i.file())).toList(),
        Math.max(total, errorCount));
  }

  /** Open ERROR issues not listed. */
  public long more() {
    return total - listed.size();
  }
}
