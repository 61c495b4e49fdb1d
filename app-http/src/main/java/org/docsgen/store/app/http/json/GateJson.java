package org.docsgen.store.app.http.json;

import java.util.List;
import org.docsgen.store.domain.gate.FailingIssues;
import org.docsgen.store.domain.gate.GateOutcome;

/**
 * A gate outcome: passed, or each reason it failed in words ({@code reasons}) and each open ERROR
 * issue as {@code {rule, file}} ({@code failing}, at most 100; {@code failingTotal} counts all).
 */
public record GateJson(
    boolean passed, List<String> reasons, List<FailingIssueJson> failing, long failingTotal) {

  public static GateJson of(GateOutcome outcome, FailingIssues failing) {
    return new GateJson(
        outcome.passed(), outcome.failing(), FailingIssueJson.of(failing), failing.total());
  }
}
