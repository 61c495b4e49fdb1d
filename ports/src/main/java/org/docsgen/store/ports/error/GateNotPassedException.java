package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.domain.run.RunId;

/**
 * A bundle was asked for before final validation passed, or with core files missing. {@code
 * missing} names every missing core file; {@code failing} gives every gate reason in words; {@code
 * failingIssues} lists the open ERROR issues of the latest final attempt as {@code {rule, file}}
 * (capped, with their total; empty when the gate fails for another reason only).
 */
public final class GateNotPassedException extends RefusedException {
  private final RunId runId;
  private final List<String> missing;
  private final List<String> failing;
  private final FailingIssues failingIssues;

  public GateNotPassedException(RunId runId, List<String> missing, List<String> failing) {
    this(runId, missing, failing, FailingIssues.none());
  }

  public GateNotPassedException(
      RunId runId, List<String> missing, List<String> failing, FailingIssues failingIssues) {
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
    this.failingIssues = requireNonNull(failingIssues, "failingIssues is null");
  }

  public RunId runId() {
    return runId;
  }

  public List<String> missing() {
    return missing;
  }

  /** Every gate reason, in words. */
  public List<String> failing() {
    return failing;
  }

  /** The open ERROR issues of the latest final attempt, {@code {rule, file}} each. */
  public FailingIssues failingIssues() {
    return failingIssues;
  }
}
