package org.docsgen.store.domain.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

  private static String diff(String a, String b) {
    return UnifiedDiff.between("a/f.md", "b/f.md", a, b, 3);
  }

  private static String numbered(int from, int to) {
    return IntStream.rangeClosed(from, to)
        .mapToObj(i -> "line" + i + "\n")
        .collect(Collectors.joining());
  }

  @Test
  void equalTextsGiveNoDiff() {
    assertThat(diff("", "")).isEmpty();
    assertThat(diff("same\n", "same\n")).isEmpty();
  }

  @Test
  void addToEmptyFile() {
    assertThat(diff("", "x\ny\n")).isEqualTo("--- a/f.md\n+++ b/f.md\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  }

  @Test
  void deleteEverything() {
    assertThat(diff("x\ny\n", "")).isEqualTo("--- a/f.md\n+++ b/f.md\n@@ -1,2 +0,0 @@\n-x\n-y\n");
  }

  @Test
  void singleLineCountIsOmitted() {
    assertThat(diff("x\n", "y\n")).isEqualTo("--- a/f.md\n+++ b/f.md\n@@ -1 +1 @@\n-x\n+y\n");
  }

  @Test
  void changeInTheMiddleHasThreeLinesOfContextEachSide() {
    String a = numbered(1, 10);
    String b = a.replace("line5\n", "five\n");
    assertThat(diff(a, b))
        .isEqualTo(
            "--- a/f.md\n+++ b/f.md\n@@ -2,7 +2,7 @@\n"
                + " line2\n line3\n line4\n-line5\n+five\n line6\n line7\n line8\n");
  }

  @Test
  void insertionAfterALineNamesThatLine() {
    String a = numbered(1, 3);
    String b = "line1\nline2\nline3\nnew\n";
    assertThat(UnifiedDiff.between("a", "b", a, b, 0))
        .isEqualTo("--- a\n+++ b\n@@ -3,0 +4 @@\n+new\n");
  }

  @Test
  void distantChangesMakeSeparateHunksAndCloseOnesMerge() {
    String a = numbered(1, 20);
    String far = a.replace("line2\n", "two\n").replace("line18\n", "eighteen\n");
    assertThat(diff(a, far)).contains("@@ -1,5 +1,5 @@").contains("@@ -15,6 +15,6 @@");
    assertThat(diff(a, far).split("@@ -", -1)).hasSize(3);
    String near = a.replace("line2\n", "two\n").replace("line8\n", "eight\n");
    assertThat(diff(a, near)).contains("@@ -1,11 +1,11 @@");
    assertThat(diff(a, near).split("@@ -", -1)).hasSize(2);
  }

  @Test
  void hunksExactlySixLinesApartMergeAtContextThree() {
    String a = numbered(1, 20);
    // changes at 5 and 12: six unchanged lines between (6..11) <= 2 * 3, so one hunk
    String b = a.replace("line5\n", "x\n").replace("line12\n", "y\n");
    assertThat(diff(a, b).split("@@ -", -1)).hasSize(2);
    // changes at 5 and 13: seven unchanged lines between, so two hunks
    String c = a.replace("line5\n", "x\n").replace("line13\n", "y\n");
    assertThat(diff(a, c).split("@@ -", -1)).hasSize(3);
  }

  @Test
  void missingNewlineAtEndIsMarked() {
    assertThat(diff("x\n", "x"))
        .isEqualTo("--- a/f.md\n+++ b/f.md\n@@ -1 +1 @@\n-x\n+x\n" + UnifiedDiff.NO_NEWLINE + "\n");
    assertThat(diff("a\nb", "a\nc"))
        .isEqualTo(
            "--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n a\n-b\n"
                + UnifiedDiff.NO_NEWLINE
                + "\n+c\n"
                + UnifiedDiff.NO_NEWLINE
                + "\n");
  }

  @Test
  void unchangedLastLineWithoutNewlineIsMarkedInContext() {
    assertThat(diff("a\nz", "b\nz"))
        .isEqualTo(
            "--- a/f.md\n+++ b/f.md\n@@ -1,2 +1,2 @@\n-a\n+b\n z\n"
                + UnifiedDiff.NO_NEWLINE
                + "\n");
  }

  @Test
  void carriageReturnsStayPartOfTheLine() {
    String a = "x\r\ny\r\n";
    String b = "x\ny\r\n";
    String patch = diff(a, b);
    assertThat(patch).contains("-x\r\n+x\n");
    assertThat(PatchApplier.apply(a, patch)).isEqualTo(b);
  }

  @Test
  void zeroContextGivesOnlyChangedLines() {
    String a = numbered(1, 5);
    String b = a.replace("line3\n", "three\n");
    assertThat(UnifiedDiff.between("a", "b", a, b, 0))
        .isEqualTo("--- a\n+++ b\n@@ -3 +3 @@\n-line3\n+three\n");
  }

  @Test
  void theEditIsMinimal() {
    String a = "a\nb\nc\na\nb\nb\na\n";
    String b = "c\nb\na\nb\na\nc\n";
    String patch = UnifiedDiff.between("a", "b", a, b, 0);
    // the classic Myers example: edit distance 5
    assertThat(
            patch
                .lines()
                .filter(l -> l.matches("[-+].*") && !l.startsWith("---") && !l.startsWith("+++")))
        .hasSize(5);
    assertThat(PatchApplier.apply(a, patch)).isEqualTo(b);
  }

  @Test
  void negativeContextIsRefused() {
    assertThatThrownBy(() -> UnifiedDiff.between("a", "b", "x", "y", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("context");
  }

  @Test
  void largeInputsDiffWithoutQuadraticMemory() {
    String a = numbered(1, 20_000);
    String b = a.replace("line10000\n", "changed\n") + "tail\n";
    String patch = diff(a, b);
    assertThat(patch).contains("@@ -9997,7 +9997,7 @@").contains("+tail\n");
    assertThat(PatchApplier.apply(a, patch)).isEqualTo(b);
  }

  @Test
  void aCompleteRewriteOfALargeFileIsOneHunk() {
    String a = numbered(1, 20_000);
    String b = numbered(20_001, 40_000);
    String patch = diff(a, b);
    assertThat(patch).startsWith("--- a/f.md\n+++ b/f.md\n@@ -1,20000 +1,20000 @@\n");
    assertThat(PatchApplier.apply(a, patch)).isEqualTo(b);
  }

  @Test
  void linesUniqueToOneSideAreChangesEvenBetweenCommonOnes() {
    String a = "x\nonly-a\ny\nz\n";
    String b = "x\ny\nonly-b\nz\n";
    assertThat(UnifiedDiff.between("a", "b", a, b, 0))
        .isEqualTo("--- a\n+++ b\n@@ -2 +1,0 @@\n-only-a\n@@ -3,0 +3 @@\n+only-b\n");
  }
}
