package org.docsgen.store.domain.diff;

import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;

/**
 * Supplies the text of an artifact version for a unified diff. Returns empty when the version is
 * not text or too large to diff; the application service implements it over the artifact store.
 */
@FunctionalInterface
public interface TextSource {
  Optional<String> text(ArtifactInfo version);

  /** A source that never has text: diffs then list changes without a unified diff. */
  static TextSource none() {
    return version -> Optional.empty();
  }
}
