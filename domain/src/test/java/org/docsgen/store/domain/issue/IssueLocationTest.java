package org.docsgen.store.domain.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.docsgen.store.domain.InvalidValueException;
import org.junit.jupiter.api.Test;

class IssueLocationTest {

  @Test
  void anyPartMayBeUnknown() {
    assertThat(IssueLocation.none().line()).isNull();
    assertThat(IssueLocation.line(4)).isEqualTo(new IssueLocation(4, null, null, null));
    assertThat(new IssueLocation(4, 2, 6, 1).endColumn()).isEqualTo(1);
    assertThat(new IssueLocation(4, 2, 4, 2).endColumn()).isEqualTo(2);
    assertThat(new IssueLocation(4, null, 4, 9).endLine()).isEqualTo(4);
  }

  @Test
  void positionsAreOneBased() {
    assertThatThrownBy(() -> IssueLocation.line(0))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("line is 1-based");
    assertThatThrownBy(() -> new IssueLocation(1, 0, null, null))
        .hasMessageContaining("column is 1-based");
  }

  @Test
  void anEndNeverPrecedesItsStart() {
    assertThatThrownBy(() -> new IssueLocation(5, null, 4, null))
        .hasMessageContaining("endLine 4 is before line 5");
    // regression: the end column was not compared with the start column on a one-line range
    assertThatThrownBy(() -> new IssueLocation(5, 10, 5, 3))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("endColumn 3 is before column 10");
  }

  @Test
  void partsNeedWhatTheyRefineOn() {
    assertThatThrownBy(() -> new IssueLocation(5, null, null, 3))
        .hasMessageContaining("endColumn needs endLine");
    assertThatThrownBy(() -> new IssueLocation(null, 3, null, null))
        .hasMessageContaining("need line");
    assertThatThrownBy(() -> new IssueLocation(null, null, 3, null))
        .hasMessageContaining("need line");
  }
}
