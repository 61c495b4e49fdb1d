package org.docsgen.store.domain.execution;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * One execution of a stage. {@code finishedAt} is null while {@code RUNNING}; {@code error} is null
 * unless the executor reported one. The artifact versions it produced are kept by the manifest
 * store beside it.
 */
public record PhaseExecution(
    RunId runId,
    Stage stage,
    int attempt,
    ExecutionStatus status,
    String executor,
    Instant startedAt,
    Instant finishedAt,
    String error) {
  public PhaseExecution {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    requireNonNull(status, "status is null");
    requireNonNull(executor, "executor is null");
    requireNonNull(startedAt, "startedAt is null");
    if (attempt < 1) {
      throw new InvalidValueException("attempt", "attempt must be >= 1, was " + attempt);
    }
    if (status.isTerminal() != (finishedAt != null)) {
      throw new IllegalArgumentException(
          "finishedAt must be set exactly when the execution is finished (" + status + ")");
    }
  }

  public static PhaseExecution started(ExecutionRef ref, String executor, Instant at) {
    return new PhaseExecution(
        ref.runId(), ref.stage(), ref.attempt(), ExecutionStatus.RUNNING, executor, at, null, null);
  }

  public ExecutionRef ref() {
    return new ExecutionRef(runId, stage, attempt);
  }

  public boolean isRunning() {
    return status == ExecutionStatus.RUNNING;
  }

  public Optional<Instant> finished() {
    return Optional.ofNullable(finishedAt);
  }

  public Optional<String> errorText() {
    return Optional.ofNullable(error);
  }

  /** This execution finished with {@code newStatus}; only a running execution may finish. */
  public PhaseExecution finish(ExecutionStatus newStatus, String errorText, Instant at) {
    requireNonNull(newStatus, "status is null");
    requireNonNull(at, "at is null");
    if (!newStatus.isTerminal()) {
      throw new InvalidValueException(
          "status", "an execution finishes as SUCCEEDED, FAILED or GATE_FAILED, not RUNNING");
    }
    if (!isRunning()) {
      throw new IllegalStateException("execution " + ref() + " already finished as " + status);
    }
    return new PhaseExecution(runId, stage, attempt, newStatus, executor, startedAt, at, errorText);
  }
}
