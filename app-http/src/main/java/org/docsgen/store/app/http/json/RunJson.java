package org.docsgen.store.app.http.json;

import java.time.Instant;
import java.util.List;
import org.docsgen.store.domain.run.Run;

/** A run as the API shows it. */
public record RunJson(
    String runId,
    String status,
    String createdBy,
    Instant createdAt,
    List<String> coreFiles,
    boolean bundleReadme) {

  public static RunJson of(Run run) {
    return new RunJson(
        run.runId().toString(),
        run.status().name(),
        run.createdBy(),
        run.createdAt(),
        run.coreFiles().names(),
        run.bundleReadme());
  }
}
