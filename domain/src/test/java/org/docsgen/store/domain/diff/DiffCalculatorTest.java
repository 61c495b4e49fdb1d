package org.docsgen.store.domain.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.domain.Fixtures.PHASE1;
import static org.docsgen.store.domain.Fixtures.T0;
import static org.docsgen.store.domain.Fixtures.artifact;
import static org.docsgen.store.domain.Fixtures.issue;
import static org.docsgen.store.domain.Fixtures.path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.junit.jupiter.api.Test;

class DiffCalculatorTest {
  private final Map<ArtifactInfo, String> contents = new HashMap<>();
  private final List<ArtifactInfo> asked = new ArrayList<>();
  private final TextSource text =
      version -> {
        asked.add(version);
        return Optional.ofNullable(contents.get(version));
      };

  private ArtifactInfo version(String name, String content, int generation) {
    ArtifactInfo info =
        artifact(path(PHASE1, name), ArtifactType.DOCUMENTATION, content, generation, T0);
    contents.put(info, content);
    return info;
  }

  private DiffReport diff(Map<String, ArtifactInfo> from, Map<String, ArtifactInfo> to) {
    return DiffCalculator.diff("phase1@1", "phase1@2", from, to, List.of(), List.of(), text);
  }

  private static DiffReport issues(List<ValidationIssue> from, List<ValidationIssue> to) {
    return DiffCalculator.diff("x", "y", Map.of(), Map.of(), from, to, TextSource.none());
  }

  @Test
  void classifiesByKeyAndSortsByKey() {
    ArtifactInfo kept = version("kept.md", "same\n", 1);
    ArtifactInfo gone = version("gone.md", "bye\n", 1);
    ArtifactInfo added = version("added.md", "hi\n", 1);
    ArtifactInfo before = version("b.md", "one\n", 1);
    ArtifactInfo after = version("b.md", "two\n", 2);
    DiffReport report =
        diff(
            Map.of("kept.md", kept, "gone.md", gone, "b.md", before),
            Map.of("kept.md", kept, "added.md", added, "b.md", after));
    assertThat(report.from()).isEqualTo("phase1@1");
    assertThat(report.to()).isEqualTo("phase1@2");
    assertThat(report.changes())
        .extracting(ArtifactChange::key, ArtifactChange::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("added.md", ArtifactChange.Kind.ADDED),
            org.assertj.core.groups.Tuple.tuple("b.md", ArtifactChange.Kind.MODIFIED),
            org.assertj.core.groups.Tuple.tuple("gone.md", ArtifactChange.Kind.REMOVED));
    ArtifactChange added0 = report.changes().get(0);
    assertThat(added0.from()).isNull();
    assertThat(added0.to()).isEqualTo(added);
    assertThat(added0.unifiedDiff()).isNull();
    ArtifactChange removed = report.changes().get(2);
    assertThat(removed.from()).isEqualTo(gone);
    assertThat(removed.to()).isNull();
  }

  @Test
  void modifiedTextCarriesAUnifiedDiffNamedByLabelAndKey() {
    ArtifactInfo before = version("b.md", "one\n", 1);
    ArtifactInfo after = version("b.md", "two\n", 2);
    ArtifactChange change = diff(Map.of("b.md", before), Map.of("b.md", after)).changes().get(0);
    assertThat(change.from()).isEqualTo(before);
    assertThat(change.to()).isEqualTo(after);
    assertThat(change.unifiedDiff())
        .isEqualTo("--- phase1@1/b.md\n+++ phase1@2/b.md\n@@ -1 +1 @@\n-one\n+two\n");
  }

  @Test
  void equalHashesAreUnchangedWhateverTheGeneration() {
    ArtifactInfo g1 = version("b.md", "same\n", 1);
    ArtifactInfo g3 = version("b.md", "same\n", 3);
    assertThat(diff(Map.of("b.md", g1), Map.of("b.md", g3)).changes()).isEmpty();
    assertThat(asked).isEmpty();
  }

  @Test
  void withoutTextOnEitherSideThereIsNoUnifiedDiff() {
    ArtifactInfo before = version("img.png", "png1", 1);
    ArtifactInfo after = version("img.png", "png2", 2);
    contents.remove(after);
    ArtifactChange change = diff(Map.of("k", before), Map.of("k", after)).changes().get(0);
    assertThat(change.kind()).isEqualTo(ArtifactChange.Kind.MODIFIED);
    assertThat(change.unifiedDiff()).isNull();
    contents.put(after, "png2");
    contents.remove(before);
    assertThat(diff(Map.of("k", before), Map.of("k", after)).changes().get(0).unifiedDiff())
        .isNull();
  }

  @Test
  void textIsOnlyAskedForModifiedArtifacts() {
    ArtifactInfo added = version("added.md", "hi\n", 1);
    ArtifactInfo gone = version("gone.md", "bye\n", 1);
    diff(Map.of("gone.md", gone), Map.of("added.md", added));
    assertThat(asked).isEmpty();
  }

  @Test
  void issueLineageByFingerprint() {
    LogicalPath file = path(PHASE1, "a.md");
    ValidationIssue stays1 =
        issue(1, file, "dead-link", Severity.ERROR, "link to x.md at line 12", 12);
    ValidationIssue stays2 =
        issue(11, file, "dead-link", Severity.ERROR, "link to x.md at line 14", 14);
    ValidationIssue fixed = issue(2, file, "heading", Severity.WARNING, "no title", 1);
    ValidationIssue fresh = issue(12, file, "spelling", Severity.INFO, "teh", 3);
    DiffReport report = issues(List.of(stays1, fixed), List.of(fresh, stays2));
    assertThat(report.persistingIssues()).containsExactly(stays2);
    assertThat(report.fixedIssues()).containsExactly(fixed);
    assertThat(report.newIssues()).containsExactly(fresh);
  }

  @Test
  void duplicateFingerprintsAreMatchedAsMultisets() {
    LogicalPath file = path(PHASE1, "a.md");
    // three occurrences of one fingerprint before, one after: one persists, two are fixed
    ValidationIssue b1 = issue(1, file, "todo", Severity.WARNING, "TODO left", 5);
    ValidationIssue b2 = issue(2, file, "todo", Severity.WARNING, "TODO left", 20);
    ValidationIssue b3 = issue(3, file, "todo", Severity.WARNING, "TODO left", 9);
    ValidationIssue a1 = issue(10, file, "todo", Severity.WARNING, "TODO left", 30);
    DiffReport shrink = issues(List.of(b2, b1, b3), List.of(a1));
    assertThat(shrink.persistingIssues()).containsExactly(a1);
    assertThat(shrink.fixedIssues()).containsExactly(b3, b2); // the ones furthest down
    assertThat(shrink.newIssues()).isEmpty();
    // and the other way round
    DiffReport grow = issues(List.of(a1), List.of(b2, b1, b3));
    assertThat(grow.persistingIssues()).containsExactly(b1);
    assertThat(grow.newIssues()).containsExactly(b3, b2);
    assertThat(grow.fixedIssues()).isEmpty();
  }

  @Test
  void issueListsAreSortedByFileLineRuleAndId() {
    LogicalPath a = path(PHASE1, "a.md");
    LogicalPath b = path(PHASE1, "b.md");
    ValidationIssue b1 = issue(1, b, "r1", Severity.ERROR, "m1", 1);
    ValidationIssue a9 = issue(2, a, "r1", Severity.ERROR, "m2", 9);
    ValidationIssue aNone = issue(3, a, "r1", Severity.ERROR, "m3", null);
    ValidationIssue a9z = issue(4, a, "r0", Severity.ERROR, "m4", 9);
    assertThat(issues(List.of(), List.of(b1, a9, aNone, a9z)).newIssues())
        .containsExactly(aNone, a9z, a9, b1);
  }

  @Test
  void sameRuleAndMessageInAnotherFileIsAnotherIssue() {
    ValidationIssue inA = issue(1, path(PHASE1, "a.md"), "r", Severity.ERROR, "m", 1);
    ValidationIssue inB = issue(2, path(PHASE1, "b.md"), "r", Severity.ERROR, "m", 1);
    DiffReport report = issues(List.of(inA), List.of(inB));
    assertThat(report.fixedIssues()).containsExactly(inA);
    assertThat(report.newIssues()).containsExactly(inB);
    assertThat(report.persistingIssues()).isEmpty();
  }

  @Test
  void emptySidesGiveAnEmptyReport() {
    DiffReport report = issues(List.of(), List.of());
    assertThat(report.changes()).isEmpty();
    assertThat(report.newIssues()).isEmpty();
    assertThat(report.fixedIssues()).isEmpty();
    assertThat(report.persistingIssues()).isEmpty();
  }

  private DiffReport diff(
      Map<String, ArtifactInfo> from, Map<String, ArtifactInfo> to, DiffLimits limits) {
    return DiffCalculator.diff(
        "phase1@1", "phase1@2", from, to, List.of(), List.of(), text, limits);
  }

  @Test
  void aTextOverTheSizeLimitIsModifiedWithTheDiffOmittedAndIsNeverRead() {
    ArtifactInfo before = version("big.md", "x".repeat(101) + "\n", 1);
    ArtifactInfo after = version("big.md", "y\n", 2);
    DiffLimits limits = DiffLimits.DEFAULTS.withMaxTextBytes(100);
    ArtifactChange change = diff(Map.of("k", before), Map.of("k", after), limits).changes().get(0);
    assertThat(change.kind()).isEqualTo(ArtifactChange.Kind.MODIFIED);
    assertThat(change.unifiedDiff()).isNull();
    assertThat(change.diffOmitted()).isEqualTo(ArtifactChange.Omission.TOO_LARGE);
    assertThat(asked).isEmpty();
    // at the limit it is diffed
    ArtifactInfo fits = version("big.md", "x".repeat(99) + "\n", 3);
    ArtifactChange small = diff(Map.of("k", fits), Map.of("k", after), limits).changes().get(0);
    assertThat(small.unifiedDiff()).contains("+y");
    assertThat(small.diffOmitted()).isNull();
  }

  @Test
  void aPairPastTheEditBudgetIsModifiedWithTheDiffOmitted() {
    ArtifactInfo before = version("ab.md", EditBudgetTest.randomAb(1, 3_000), 1);
    ArtifactInfo after = version("ab.md", EditBudgetTest.randomAb(2, 3_000), 2);
    ArtifactInfo small1 = version("z.md", "one\n", 1);
    ArtifactInfo small2 = version("z.md", "two\n", 2);
    DiffLimits limits = new DiffLimits(1 << 20, 100_000, 1_000_000);
    List<ArtifactChange> changes =
        diff(Map.of("ab", before, "z", small1), Map.of("ab", after, "z", small2), limits).changes();
    assertThat(changes.get(0).kind()).isEqualTo(ArtifactChange.Kind.MODIFIED);
    assertThat(changes.get(0).unifiedDiff()).isNull();
    assertThat(changes.get(0).diffOmitted()).isEqualTo(ArtifactChange.Omission.TOO_LARGE);
    // one pair's budget is capped, so the next pair still gets its diff
    assertThat(changes.get(1).unifiedDiff()).contains("-one", "+two");
    assertThat(changes.get(1).diffOmitted()).isNull();
  }

  @Test
  void pairsShareTheDiffsBudgetInKeyOrder() {
    Map<String, ArtifactInfo> from = new HashMap<>();
    Map<String, ArtifactInfo> to = new HashMap<>();
    for (String key : List.of("a", "b", "c")) {
      from.put(key, version(key + ".md", EditBudgetTest.randomAb(key.hashCode(), 400), 1));
      to.put(key, version(key + ".md", EditBudgetTest.randomAb(~key.hashCode(), 400), 2));
    }
    DiffLimits unlimited = new DiffLimits(1 << 20, Long.MAX_VALUE, Long.MAX_VALUE);
    assertThat(diff(from, to, unlimited).changes())
        .allSatisfy(c -> assertThat(c.unifiedDiff()).isNotNull());
    EditBudget first = EditBudget.unlimited();
    UnifiedDiff.within(
        "x", "y", text.text(from.get("a")).get(), text.text(to.get("a")).get(), 3, first);
    // enough for the first pair only: the others are omitted, the same way every time
    DiffLimits shared = new DiffLimits(1 << 20, Long.MAX_VALUE, first.spent());
    for (int round = 0; round < 2; round++) {
      assertThat(diff(from, to, shared).changes())
          .extracting(c -> c.key() + " " + c.diffOmitted())
          .containsExactly("a null", "b TOO_LARGE", "c TOO_LARGE");
    }
  }

  @Test
  void aBinaryPairHasNoDiffAndNothingOmitted() {
    ArtifactInfo before = version("img.png", "png1", 1);
    ArtifactInfo after = version("img.png", "png2", 2);
    ArtifactInfo binaryBefore = withMediaType(before, "image/png");
    ArtifactInfo binaryAfter = withMediaType(after, "image/png");
    ArtifactChange change =
        diff(
                Map.of("k", binaryBefore),
                Map.of("k", binaryAfter),
                DiffLimits.DEFAULTS.withMaxTextBytes(1))
            .changes()
            .get(0);
    assertThat(change.unifiedDiff()).isNull();
    assertThat(change.diffOmitted()).isNull();
  }

  private ArtifactInfo withMediaType(ArtifactInfo info, String mediaType) {
    ArtifactInfo changed =
        new ArtifactInfo(
            info.path(),
            info.type(),
            info.hash(),
            info.size(),
            mediaType,
            info.createdBy(),
            info.createdAt(),
            info.generation());
    contents.put(changed, contents.get(info));
    return changed;
  }
}
