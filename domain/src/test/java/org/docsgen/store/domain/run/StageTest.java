package org.docsgen.store.domain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.docsgen.store.domain.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StageTest {

  @Test
  void parsesPhasesAndFinal() {
    assertThat(Stage.parse("phase0")).isEqualTo(Stage.phase(0));
    assertThat(Stage.parse("phase42").order()).isEqualTo(42);
    assertThat(Stage.parse("final")).isEqualTo(Stage.FINAL);
    assertThat(Stage.FINAL.isFinal()).isTrue();
    assertThat(Stage.phase(3).isFinal()).isFalse();
    assertThat(Stage.phase(3)).hasToString("phase3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"phase", "phase01", "phase-1", "Phase1", "FINAL", "final ", "phase1234567", ""})
  void refusesOtherNames(String text) {
    assertThatThrownBy(() -> Stage.parse(text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("phase<N>");
  }

  @Test
  void refusesNegativePhases() {
    assertThatThrownBy(() -> Stage.phase(-1)).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void ordersByPhaseNumberWithFinalLast() {
    List<Stage> sorted =
        List.of(Stage.FINAL, Stage.phase(10), Stage.phase(2), Stage.phase(0)).stream()
            .sorted()
            .toList();
    assertThat(sorted)
        .containsExactly(Stage.phase(0), Stage.phase(2), Stage.phase(10), Stage.FINAL);
  }
}
