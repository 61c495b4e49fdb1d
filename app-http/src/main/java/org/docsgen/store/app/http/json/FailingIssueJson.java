package org.docsgen.store.app.http.json;

import java.util.List;
import org.docsgen.store.domain.gate.FailingIssues;

/** One open {@code ERROR} issue that keeps a gate closed: {@code {rule, file}}. */
public record FailingIssueJson(String rule, String file) {

  public static List<FailingIssueJson> of(FailingIssues failing) {
    return failing.listed().stream()
        .map(i -> new FailingIssueJson(i.rule(), i.file().toString()))
        .toList();
  }
}
