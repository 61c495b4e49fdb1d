package org.docsgen.store.domain.execution;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.InvalidValueException;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/** Names one execution: run, stage and attempt (1, 2, ...). Written {@code <stage>@<attempt>}. */
public record ExecutionRef(RunId runId, Stage stage, int attempt) {
  public ExecutionRef {
    requireNonNull(runId, "runId is null");
    requireNonNull(stage, "stage is null");
    if (attempt < 1) {
      throw new InvalidValueException("attempt", "attempt must be >= 1, was " + attempt);
    }
  }

  /** Parses {@code <stage>@<attempt>} (e.g. {@code phase1@2}) within {@code runId}. */
  public static ExecutionRef parse(RunId runId, String text) {
    requireNonNull(text, "execution is null");
    int at = text.indexOf('@');
    if (at < 0) {
      throw new InvalidValueException(
          "execution", "execution must be <stage>@<attempt>, e.g. phase1@2, was '" + text + "'");
    }
    Stage stage = Stage.parse(text.substring(0, at));
    String attempt = text.substring(at + 1);
    if (!attempt.matches("[1-9][0-9]{0,8}")) {
      throw new InvalidValueException(
          "execution", "attempt must be a positive number, was '" + attempt + "'");
    }
    return new ExecutionRef(runId, stage, Integer.parseInt(attempt));
  }

  @Override
  public String toString() {
    return stage + "@" + attempt;
  }
}
