package org.docsgen.store.app.http.json;

import java.util.LinkedHashMap;
import java.util.Map;
import org.docsgen.store.domain.issue.Severity;

/** Issue counts per severity, in severity order, every severity present. */
final class SeverityCounts {
  private SeverityCounts() {}

  static Map<String, Long> of(Map<Severity, Long> counts) {
    Map<String, Long> ordered = new LinkedHashMap<>();
    for (Severity severity : Severity.values()) {
      ordered.put(severity.name(), counts.getOrDefault(severity, 0L));
    }
    return ordered;
  }
}
