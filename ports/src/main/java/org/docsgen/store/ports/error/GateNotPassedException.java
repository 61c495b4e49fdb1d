package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.docsgen.store.domain.run.RunId;

/**
 * A bundle was asked for before final validation passed, or with core files missing. {@code
 * missing} names every missing core file; {@code failing} gives every gate reason.
 */
public final class GateNotPassedException extends RefusedException {
  private final RunId runId;
  private final List<String> missing;
  private final List<String> failing;

  public GateNotPassedException(RunId runId, List<String> missing, List<String> failing) {
    super(
        "gate-not-passed",
        "run "
            + requireNonNull(runId, "runId is null")
            + " cannot be bundled"
            + (failing.isEmpty() ? "" : ": " + String.join("; ", failing))
            + (missing.isEmpty() ? "" : "; missing core files: " + String.join(", ", missing)));
    this.runId = runId;
    this.missing = List.copyOf(missing);
    this.failing = List.copyOf(failing);
  }

  public RunId runId() {
    return runId;
  }

  public List<String> missing() {
    return missing;
  }

  public List<String> failing() {
    return failing;
  }
}
