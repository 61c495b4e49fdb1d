package org.docsgen.store.domain.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PhaseExecutionTest {
  private static final ExecutionRef REF =
      new ExecutionRef(RunId.parse("run_2026_01_02_0001"), Stage.phase(1), 2);
  private static final Instant T0 = Instant.parse("2026-01-02T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(30);

  @Test
  void startsRunning() {
    PhaseExecution started = PhaseExecution.started(REF, "orchestrator", T0);
    assertThat(started.isRunning()).isTrue();
    assertThat(started.ref()).isEqualTo(REF);
    assertThat(started.finished()).isEmpty();
    assertThat(started.errorText()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(names = {"SUCCEEDED", "FAILED", "GATE_FAILED"})
  void finishesOnceWithAStatusTimeAndError(ExecutionStatus status) {
    PhaseExecution done = PhaseExecution.started(REF, "o", T0).finish(status, "why", T1);
    assertThat(done.status()).isEqualTo(status);
    assertThat(done.finished()).contains(T1);
    assertThat(done.errorText()).contains("why");
    assertThat(done.startedAt()).isEqualTo(T0);
    assertThat(done.isRunning()).isFalse();
    assertThatThrownBy(() -> done.finish(ExecutionStatus.SUCCEEDED, null, T1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already finished as " + status);
  }

  @Test
  void cannotFinishAsRunning() {
    assertThatThrownBy(
            () -> PhaseExecution.started(REF, "o", T0).finish(ExecutionStatus.RUNNING, null, T1))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void finishedAtIsSetExactlyWhenFinished() {
    assertThatThrownBy(
            () ->
                new PhaseExecution(
                    REF.runId(), REF.stage(), 1, ExecutionStatus.SUCCEEDED, "o", T0, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new PhaseExecution(
                    REF.runId(), REF.stage(), 1, ExecutionStatus.RUNNING, "o", T0, T1, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ExecutionStatus.RUNNING.isTerminal()).isFalse();
  }
}
