package org.docsgen.store.domain.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecutionRefTest {
  private static final RunId RUN = RunId.parse("run_2026_01_02_0001");

  @Test
  void parsesStageAtAttempt() {
    ExecutionRef ref = ExecutionRef.parse(RUN, "phase1@2");
    assertThat(ref).isEqualTo(new ExecutionRef(RUN, Stage.phase(1), 2));
    assertThat(ref).hasToString("phase1@2");
    assertThat(ExecutionRef.parse(RUN, "final@10").stage()).isEqualTo(Stage.FINAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "phase1@0",
        "phase1@",
        "phase1@-1",
        "phase1@01",
        "phase1@x",
        "phase1@2@3",
        "phase1@1234567890"
      })
  void refusesBadAttempts(String text) {
    assertThatThrownBy(() -> ExecutionRef.parse(RUN, text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("attempt must be a positive number");
  }

  @Test
  void refusesAMissingAtAndABadStage() {
    assertThatThrownBy(() -> ExecutionRef.parse(RUN, "phase1"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("<stage>@<attempt>");
    assertThatThrownBy(() -> ExecutionRef.parse(RUN, "phase01@1"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("phase<N>");
  }

  @Test
  void attemptIsOneBased() {
    assertThatThrownBy(() -> new ExecutionRef(RUN, Stage.FINAL, 0))
        .isInstanceOf(InvalidValueException.class);
  }
}
