package org.docsgen.store.domain.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.docsgen.store.domain.artifact.LogicalPath;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static final LogicalPath FILE = LogicalPath.parse("run_2026_01_02_0001/phase1/docs/a.md");

  @Test
  void normalisesCaseDigitsAndWhitespace() {
    assertThat(Fingerprint.normalise("  Broken  LINK at line 12,\tcol 3 \n"))
        .isEqualTo("broken link at line #, col #");
    assertThat(Fingerprint.normalise("v1.2.10")).isEqualTo("v#.#.#");
  }

  @Test
  void recognisesTheSameIssueAfterLinesMove() {
    assertThat(Fingerprint.of("dead-link", FILE, "Dead link at line 12"))
        .isEqualTo(Fingerprint.of("dead-link", FILE, "dead link at  line 13"));
  }

  @Test
  void ignoresTheRunSoIssuesMatchAcrossRuns() {
    LogicalPath sameFileOtherRun = LogicalPath.parse("run_2026_05_06_0042/phase1/docs/a.md");
    assertThat(Fingerprint.of("r", FILE, "m"))
        .isEqualTo(Fingerprint.of("r", sameFileOtherRun, "m"));
  }

  @Test
  void differsByRuleFileStageAndWords() {
    Fingerprint base = Fingerprint.of("r", FILE, "m");
    assertThat(Fingerprint.of("r2", FILE, "m")).isNotEqualTo(base);
    assertThat(Fingerprint.of("r", LogicalPath.parse("run_2026_01_02_0001/phase1/docs/b.md"), "m"))
        .isNotEqualTo(base);
    assertThat(Fingerprint.of("r", LogicalPath.parse("run_2026_01_02_0001/phase2/docs/a.md"), "m"))
        .isNotEqualTo(base);
    assertThat(Fingerprint.of("r", FILE, "n")).isNotEqualTo(base);
  }

  @Test
  void isThirtyTwoHexDigits() {
    Fingerprint fingerprint = Fingerprint.of("r", FILE, "m");
    assertThat(fingerprint.value()).matches("[0-9a-f]{32}");
    assertThat(fingerprint).hasToString(fingerprint.value());
    assertThatThrownBy(() -> new Fingerprint("xyz")).isInstanceOf(IllegalArgumentException.class);
  }
}
