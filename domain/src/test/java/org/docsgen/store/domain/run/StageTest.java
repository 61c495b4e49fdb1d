package org.docsgen.store.domain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
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

  /** The check by hand agrees with the regular expression it replaced, on one-character edits. */
  @Test
  void agreesWithTheRegularExpressionItReplaced() {
    Pattern phase = Pattern.compile("phase(0|[1-9][0-9]{0,5})");
    List<String> seeds = List.of("phase0", "phase7", "phase10", "phase999999", "final");
    String alphabet = "0159ae_ \u0663\uff11";
    Set<String> inputs = new LinkedHashSet<>(seeds);
    for (String seed : seeds) {
      for (int i = 0; i <= seed.length(); i++) {
        for (char c : alphabet.toCharArray()) {
          inputs.add(seed.substring(0, i) + c + seed.substring(i));
          if (i < seed.length()) {
            inputs.add(seed.substring(0, i) + c + seed.substring(i + 1));
          }
        }
        if (i < seed.length()) {
          inputs.add(seed.substring(0, i) + seed.substring(i + 1));
        }
      }
    }
    for (String text : inputs) {
      boolean valid = text.equals("final") || phase.matcher(text).matches();
      boolean accepted;
      try {
        accepted = Stage.parse(text).name().equals(text);
      } catch (InvalidValueException e) {
        accepted = false;
      }
      assertThat(accepted).as(text).isEqualTo(valid);
    }
  }
}
