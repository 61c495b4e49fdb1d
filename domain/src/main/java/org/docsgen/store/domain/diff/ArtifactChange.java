package org.docsgen.store.domain.diff;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactInfo;

/**
 * One artifact that differs between the two sides of a diff. {@code key} is the artifact's place
 * compared across sides ({@code <name>} between executions of one stage, {@code <stage>/<name>}
 * between runs). {@code from} is null when added, {@code to} when removed. {@code unifiedDiff} is
 * set for modified text artifacts small enough to diff, else null.
 */
public record ArtifactChange(
    String key, Kind kind, ArtifactInfo from, ArtifactInfo to, String unifiedDiff) {
  public enum Kind {
    ADDED,
    REMOVED,
    MODIFIED
  }

  public ArtifactChange {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
  }
}
