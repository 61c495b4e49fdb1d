package org.docsgen.store.app.http.json;

import java.util.List;
import org.docsgen.store.domain.gate.GateOutcome;

/** A gate outcome: passed, or each reason it failed. */
public record GateJson(boolean passed, List<String> failing) {

  public static GateJson of(GateOutcome outcome) {
    return new GateJson(outcome.passed(), outcome.failing());
  }
}
