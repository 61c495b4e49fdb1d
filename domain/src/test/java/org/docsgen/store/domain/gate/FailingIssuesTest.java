package org.docsgen.store.domain.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.docsgen.store.domain.Fixtures.issue;
import static org.docsgen.store.domain.Fixtures.path;

import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.issue.Severity;
import org.docsgen.store.domain.issue.ValidationIssue;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.Test;

class FailingIssuesTest {
  private static final LogicalPath A = path(Stage.FINAL, "a.md");
  private static final LogicalPath B = path(Stage.FINAL, "b.md");

  @Test
  void listsEachErrorIssueAsRuleAndFileInFileAndLineOrder() {
    FailingIssues failing =
        FailingIssues.of(
            List.of(
                issue(1, B, "links", Severity.ERROR, "m", 1),
                issue(2, A, "style", Severity.WARNING, "m", 1),
                issue(3, A, "heading", Severity.ERROR, "m", 9),
                issue(4, A, "heading", Severity.ERROR, "m", 2)),
            3);

    assertThat(failing.listed())
        .containsExactly(
            new FailingIssues.Issue("heading", A),
            new FailingIssues.Issue("heading", A),
            new FailingIssues.Issue("links", B));
    assertThat(failing.total()).isEqualTo(3);
    assertThat(failing.more()).isZero();
  }

  @Test
  void capsTheListAtTheFirstRecordedAndCountsTheRest() {
    List<ValidationIssue> issues = new ArrayList<>();
    for (int id = 250; id >= 1; id--) {
      issues.add(issue(id, A, "r" + id, Severity.ERROR, "m", id));
    }

    FailingIssues failing = FailingIssues.of(issues, 4000);

    assertThat(failing.listed()).hasSize(FailingIssues.MAX_LISTED);
    assertThat(failing.listed().get(0).rule()).isEqualTo("r1");
    assertThat(failing.listed().get(99).rule()).isEqualTo("r100");
    assertThat(failing.more()).isEqualTo(3900);
    assertThat(FailingIssues.none().listed()).isEmpty();
    assertThatThrownBy(() -> new FailingIssues(List.of(new FailingIssues.Issue("r", A)), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
