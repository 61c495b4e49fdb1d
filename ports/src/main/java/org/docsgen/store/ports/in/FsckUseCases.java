package org.docsgen.store.ports.in;

import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.run.RunId;

/** Find (and optionally repair) drift between the artifact store and the manifest. */
public interface FsckUseCases {

  /**
   * Checks every indexed version against the store (present, same hash and size; with {@code deep}
   * also re-reads and re-hashes the bytes) and every stored version against the index.
   */
  FsckReport fsck(Optional<RunId> run, boolean deep, boolean repair, Progress progress);

  /** Progress callback for long checks. */
  @FunctionalInterface
  interface Progress {
    void checked(long versions, String current);

    static Progress none() {
      return (versions, current) -> {};
    }
  }

  /**
   * One finding: a stable kind, the path (and generation) concerned, a sentence, and whether it was
   * repaired.
   */
  record Finding(String kind, String path, int generation, String detail, boolean repaired) {}

  /** The result: how many versions were checked and what was found. */
  record FsckReport(long checked, List<Finding> findings) {
    public boolean clean() {
      return findings.stream().allMatch(Finding::repaired);
    }
  }
}
