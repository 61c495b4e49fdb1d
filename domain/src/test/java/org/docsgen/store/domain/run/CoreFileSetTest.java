package org.docsgen.store.domain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.docsgen.store.domain.InvalidValueException;
import org.junit.jupiter.api.Test;

class CoreFileSetTest {

  @Test
  void theStandardSetHas43SortedUniqueNamesIncludingDocsgenMd() {
    CoreFileSet standard = CoreFileSet.standard();
    assertThat(standard.size()).isEqualTo(43);
    assertThat(standard.names()).hasSize(43).doesNotHaveDuplicates().isSorted();
    assertThat(standard.contains("docsgen.md")).isTrue();
    assertThat(standard.names()).allMatch(n -> n.endsWith(".md"));
  }

  @Test
  void namesAreSortedAndImmutable() {
    CoreFileSet set = CoreFileSet.of(List.of("b.md", "a.md"));
    assertThat(set.names()).containsExactly("a.md", "b.md");
    assertThatThrownBy(() -> set.names().add("c.md"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void refusesDuplicatesEmptySetsAndPaths() {
    assertThatThrownBy(() -> CoreFileSet.of(List.of("a.md", "a.md")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> CoreFileSet.of(List.of()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("at least one");
    for (String bad : List.of("docs/a.md", "..", ".", "a b.md", "", "a\u0000")) {
      assertThatThrownBy(() -> CoreFileSet.of(List.of(bad)))
          .isInstanceOf(InvalidValueException.class)
          .hasMessageContaining("file names");
    }
  }
}
