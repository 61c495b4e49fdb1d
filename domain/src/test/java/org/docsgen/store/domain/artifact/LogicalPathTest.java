package org.docsgen.store.domain.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogicalPathTest {
  private static final String RUN = "run_2026_01_02_0001";

  private static void refused(String text, String... why) {
    assertThatThrownBy(() -> LogicalPath.parse(text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContainingAll(why)
        .extracting(e -> ((InvalidValueException) e).field())
        .isEqualTo("path");
  }

  @Test
  void parsesItsParts() {
    LogicalPath path = LogicalPath.parse(RUN + "/phase2/docs/api/http-api.md");
    assertThat(path.runId()).isEqualTo(RunId.parse(RUN));
    assertThat(path.stage()).isEqualTo(Stage.phase(2));
    assertThat(path.name()).isEqualTo("docs/api/http-api.md");
    assertThat(path.fileName()).isEqualTo("http-api.md");
    assertThat(path.segments()).containsExactly(RUN, "phase2", "docs", "api", "http-api.md");
    assertThat(path).hasToString(RUN + "/phase2/docs/api/http-api.md");
  }

  @Test
  void ofBuildsTheSamePath() {
    LogicalPath built = LogicalPath.of(RunId.parse(RUN), Stage.FINAL, "a/b.md");
    assertThat(built).isEqualTo(LogicalPath.parse(RUN + "/final/a/b.md"));
    assertThat(built.hashCode()).isEqualTo(LogicalPath.parse(RUN + "/final/a/b.md").hashCode());
    assertThatThrownBy(() -> LogicalPath.of(RunId.parse(RUN), Stage.FINAL, "../x"))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void ordersByCanonicalText() {
    List<LogicalPath> sorted =
        List.of(
            LogicalPath.parse(RUN + "/phase1/b.md"),
            LogicalPath.parse(RUN + "/final/z.md"),
            LogicalPath.parse(RUN + "/phase1/a.md"));
    assertThat(sorted.stream().sorted().map(LogicalPath::toString))
        .containsExactly(RUN + "/final/z.md", RUN + "/phase1/a.md", RUN + "/phase1/b.md");
  }

  @Test
  void dotsInsideANameAreFine() {
    assertThat(LogicalPath.parse(RUN + "/final/.hidden/a..b/...").name())
        .isEqualTo(".hidden/a..b/...");
  }

  @Test
  void refusesTraversal() {
    refused(RUN + "/final/../x.md", "'.' and '..' are not allowed");
    refused(RUN + "/final/./x.md", "'.' and '..' are not allowed");
    refused(RUN + "/../../etc/passwd", "'.' and '..' are not allowed");
    refused("../" + RUN + "/final/x", "'.' and '..' are not allowed");
  }

  @Test
  void refusesAbsoluteEmptyAndShortPaths() {
    refused("/" + RUN + "/final/x.md", "must be relative");
    refused("", "path is empty");
    refused(RUN + "/final//x.md", "empty segment");
    refused(RUN + "/final/x.md/", "empty segment");
    refused(RUN + "/final", "<runId>/<stage>/<name>");
  }

  @Test
  void refusesBackslashAndNul() {
    refused(RUN + "/final/a\\b.md", "backslash");
    refused(RUN + "/final/..\\..\\x", "backslash");
    refused(RUN + "/final/a\0.md", "NUL", "\\u0000");
  }

  @Test
  void refusesOverLongPathsCountingBytes() {
    String prefix = RUN + "/final/";
    String folder = "d".repeat(LogicalPath.MAX_SEGMENT_BYTES) + "/";
    String fits =
        prefix + folder + "a".repeat(LogicalPath.MAX_BYTES - prefix.length() - folder.length());
    assertThat(LogicalPath.parse(fits).toString()).hasSize(512);
    refused(fits + "a", "longer than 512 bytes", "513 bytes", "at most 512 bytes in all");
    // 2-byte characters: short in chars, too long in bytes (and non-ASCII anyway)
    refused(prefix + "é".repeat(300), "longer than 512 bytes");
  }

  @Test
  void refusesASegmentLongerThanTheFileNameLimit() {
    String prefix = RUN + "/final/";
    String longest = "a".repeat(LogicalPath.MAX_SEGMENT_BYTES);
    assertThat(LogicalPath.parse(prefix + longest).fileName()).hasSize(255);
    assertThat(LogicalPath.parse(prefix + longest + "/x.md").name()).startsWith(longest);
    refused(prefix + longest + "a", "segment", "longer than 255 bytes", "256 bytes");
    refused(prefix + "a".repeat(300), "longer than 255 bytes", "300 bytes", "file-name limit");
    refused(prefix + "a".repeat(300) + "/x.md", "segment", "longer than 255 bytes");
    refused(prefix + "x/" + "b".repeat(256) + "/y.md", "segment", "longer than 255 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%2e%2e", "%2E%2E", "%2f", "%5c", "a%00b", "..%2f..%2fetc"})
  void refusesPercentEncodingAndSaysItIsNotDecoded(String segment) {
    refused(RUN + "/final/" + segment, "'%' (U+0025)", "percent-encoding is not decoded");
  }

  @ParameterizedTest
  @CsvSource({
    "\u2024\u2024, U+2024", // ONE DOT LEADER
    "\uFF0E\uFF0E, U+FF0E", // FULLWIDTH FULL STOP
    "a\u2215b, U+2215", // DIVISION SLASH
    "a\uFF0Fb, U+FF0F", // FULLWIDTH SOLIDUS
    "a\u2044b, U+2044", // FRACTION SLASH
    "\u2025, U+2025", // TWO DOT LEADER
    "a\uFE68b, U+FE68", // SMALL REVERSE SOLIDUS
    "caf\u00e9.md, U+00E9"
  })
  void refusesUnicodeLookAlikesNamingTheCodePoint(String segment, String codePoint) {
    refused(RUN + "/final/" + segment, codePoint, "only ASCII is allowed");
  }

  @Test
  void refusesOtherCharactersNamingThem() {
    refused(RUN + "/final/a b.md", "' ' (U+0020)", "spaces are not allowed");
    refused(RUN + "/final/a:b.md", "':' (U+003A)");
    refused(RUN + "/final/a\tb.md", "(U+0009)", "\\u0009");
    refused(RUN + "/final/a\uD83D\uDE00.md", "U+1F600");
  }

  @Test
  void refusesABadRunIdOrStageAsAPathError() {
    refused("run_2026_13_01_0001/final/x.md", "run id", "impossible date");
    refused(RUN + "/phase01/x.md", "stage", "phase<N>");
    refused(RUN + "/Final/x.md", "stage");
  }

  @Test
  void refusalMessagesAreCutAndEscaped() {
    String longBad = RUN + "/final/" + "x".repeat(200) + " y";
    assertThatThrownBy(() -> LogicalPath.parse(longBad))
        .hasMessageContaining("...")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(700));
  }

  @Test
  void nullIsAProgrammingError() {
    assertThatThrownBy(() -> LogicalPath.parse(null)).isInstanceOf(NullPointerException.class);
  }
}
