package org.docsgen.store.domain.gate;

import java.util.List;

/**
 * Whether a stage's gate passed, and if not, why: each entry of {@code failing} is one reason in
 * plain words (no execution, execution not SUCCEEDED, ERROR issues recorded against it).
 */
public record GateOutcome(boolean passed, List<String> failing) {
  public GateOutcome {
    failing = List.copyOf(failing);
    if (passed != failing.isEmpty()) {
      throw new IllegalArgumentException("a gate passes exactly when nothing is failing");
    }
  }

  public static GateOutcome pass() {
    return new GateOutcome(true, List.of());
  }

  public static GateOutcome fail(List<String> reasons) {
    return new GateOutcome(false, reasons);
  }
}
