package org.docsgen.store.ports.out;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactType;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * Filters an artifact index listing: a run, optionally a stage and a type ({@code null} = any), and
 * whether only each path's latest generation is listed.
 */
public record ArtifactQuery(RunId runId, Stage stage, ArtifactType type, boolean latestOnly) {
  public ArtifactQuery {
    requireNonNull(runId, "runId is null");
  }

  public static ArtifactQuery latest(RunId runId) {
    return new ArtifactQuery(runId, null, null, true);
  }

  public static ArtifactQuery allVersions(RunId runId) {
    return new ArtifactQuery(runId, null, null, false);
  }

  public ArtifactQuery inStage(Stage newStage) {
    return new ArtifactQuery(runId, newStage, type, latestOnly);
  }

  public ArtifactQuery ofType(ArtifactType newType) {
    return new ArtifactQuery(runId, stage, newType, latestOnly);
  }
}
