package org.docsgen.store.app.http.json;

import java.time.Instant;
import java.util.List;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.execution.PhaseExecution;

/** A phase execution with the artifact versions it produced or confirmed. */
public record ExecutionJson(
    String runId,
    String stage,
    int attempt,
    String status,
    String executor,
    Instant startedAt,
    Instant finishedAt,
    String error,
    List<ArtifactJson> artifacts) {

  public static ExecutionJson of(PhaseExecution execution, List<ArtifactInfo> artifacts) {
    return new ExecutionJson(
        execution.runId().toString(),
        execution.stage().toString(),
        execution.attempt(),
        execution.status().name(),
        execution.executor(),
        execution.startedAt(),
        execution.finishedAt(),
        execution.error(),
        artifacts.stream().map(ArtifactJson::of).toList());
  }
}
