package org.docsgen.store.domain.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.docsgen.store.domain.Refusal;
import org.junit.jupiter.api.Test;

class GateOutcomeTest {

  @Test
  void passesExactlyWhenNothingFails() {
    assertThat(GateOutcome.pass().passed()).isTrue();
    assertThat(GateOutcome.fail(List.of("x")).failing()).containsExactly("x");
    assertThatThrownBy(() -> GateOutcome.fail(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GateOutcome(true, List.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusalPrintsCodeAndReason() {
    assertThat(new Refusal("stage-approved", "why")).hasToString("stage-approved: why");
    assertThatThrownBy(() -> new Refusal(null, "x")).isInstanceOf(NullPointerException.class);
  }
}
