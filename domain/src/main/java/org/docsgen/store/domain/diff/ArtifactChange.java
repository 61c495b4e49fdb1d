package org.docsgen.store.domain.diff;

import static java.util.Objects.requireNonNull;

import org.docsgen.store.domain.artifact.ArtifactInfo;

/**
 * One artifact that differs between the two sides of a diff. {@code key} is the artifact's place
 * compared across sides ({@code <name>} between executions of one stage, {@code <stage>/<name>}
 * between runs). {@code from} is null when added, {@code to} when removed. {@code unifiedDiff} is
 * set for modified text artifacts within the {@link DiffLimits}, else null; {@code diffOmitted}
 * says why a modified text pair has none ({@link Omission#TOO_LARGE}), and is null otherwise (not
 * text, or not modified).
 */
public record ArtifactChange(
    String key,
    Kind kind,
    ArtifactInfo from,
    ArtifactInfo to,
    String unifiedDiff,
    Omission diffOmitted) {
  public enum Kind {
    ADDED,
    REMOVED,
    MODIFIED
  }

  /** Why a modified text pair has no unified diff. */
  public enum Omission {
    /** Larger than {@code diff.maxTextBytes}, or its edit script is past the edit budget. */
    TOO_LARGE("too-large");

    private final String label;

    Omission(String label) {
      this.label = label;
    }

    /** The JSON value, e.g. {@code too-large}. */
    public String label() {
      return label;
    }
  }

  public ArtifactChange {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    if (diffOmitted != null && (kind != Kind.MODIFIED || unifiedDiff != null)) {
      throw new IllegalArgumentException("only a modified change without a diff omits one");
    }
  }

  /** A change with nothing omitted. */
  public ArtifactChange(
      String key, Kind kind, ArtifactInfo from, ArtifactInfo to, String unifiedDiff) {
    this(key, kind, from, to, unifiedDiff, null);
  }
}
