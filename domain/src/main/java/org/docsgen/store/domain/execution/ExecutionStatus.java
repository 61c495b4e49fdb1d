package org.docsgen.store.domain.execution;

/** The state of one phase execution. Only {@code RUNNING} may change, and only once. */
public enum ExecutionStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  GATE_FAILED;

  public boolean isTerminal() {
    return this != RUNNING;
  }
}
