package org.docsgen.store.domain.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.execution.ExecutionRef;
import org.junit.jupiter.api.Test;

class ValidationIssueTest {
  private static final LogicalPath FILE = LogicalPath.parse("run_2026_01_02_0001/final/docs/a.md");

  private static ValidationIssue at(IssueLocation location, int attempt, int generation) {
    return new ValidationIssue(
        7,
        FILE.runId(),
        FILE.stage(),
        attempt,
        FILE,
        generation,
        "rule",
        Severity.ERROR,
        "msg",
        location,
        "lint",
        Fingerprint.of("rule", FILE, "msg"));
  }

  @Test
  void linkPointsToTheExactVersionAndLines() {
    assertThat(at(new IssueLocation(12, 3, 15, 1), 1, 3).link())
        .isEqualTo("/api/artifacts/run_2026_01_02_0001/final/docs/a.md?generation=3&lines=12-15");
    assertThat(at(IssueLocation.line(8), 1, 2).link()).endsWith("?generation=2&lines=8-8");
    assertThat(at(IssueLocation.none(), 1, 2).link())
        .isEqualTo("/api/artifacts/run_2026_01_02_0001/final/docs/a.md?generation=2");
  }

  @Test
  void knowsItsExecution() {
    assertThat(at(IssueLocation.none(), 4, 1).execution())
        .isEqualTo(new ExecutionRef(FILE.runId(), FILE.stage(), 4));
  }

  @Test
  void attemptAndGenerationAreOneBased() {
    // regression: generation 0 used to be accepted and produced links to ?generation=0
    assertThatThrownBy(() -> at(IssueLocation.none(), 1, 0))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("generation");
    assertThatThrownBy(() -> at(IssueLocation.none(), 0, 1))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("attempt");
  }

  @Test
  void severityParsesExactNames() {
    assertThat(Severity.parse("WARNING")).isEqualTo(Severity.WARNING);
    assertThatThrownBy(() -> Severity.parse("warning"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("ERROR, WARNING, INFO");
  }
}
