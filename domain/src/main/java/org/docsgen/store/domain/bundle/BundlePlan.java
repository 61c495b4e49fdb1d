package org.docsgen.store.domain.bundle;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link BundlePlanner#plan} decided: the bundle is {@link Ready} to be written, or {@link
 * Refused} with every missing core file and every failing gate reason named.
 */
public sealed interface BundlePlan {

  /**
   * The bundle's entries, sorted by entry name, and the README text to add as {@value
   * BundlePlanner#README_NAME} ({@code null} when the run did not ask for one).
   */
  record Ready(List<BundleSource> sources, String readmeText) implements BundlePlan {
    public Ready {
      sources = List.copyOf(requireNonNull(sources, "sources is null"));
    }
  }

  /** Why no bundle can be made: core file names without a validated version, and gate reasons. */
  record Refused(List<String> missing, List<String> failing) implements BundlePlan {
    public Refused {
      missing = List.copyOf(requireNonNull(missing, "missing is null"));
      failing = List.copyOf(requireNonNull(failing, "failing is null"));
      if (missing.isEmpty() && failing.isEmpty()) {
        throw new IllegalArgumentException("a refusal names at least one missing file or reason");
      }
    }
  }
}
