package org.docsgen.store.ports.in;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.run.RunId;

/**
 * Sort what the artifact store and the manifest disagree about (ARCHITECTURE.md § Manifest store):
 * <b>orphans</b> (stored bytes no index entry names: never acknowledged, harmless) and <b>drift</b>
 * (an index entry whose bytes are absent, of another size or hash: an integrity failure).
 */
public interface FsckUseCases {

  /** How old an orphan must be, by the store's own {@code createdAt}, before repair removes it. */
  Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(1);

  /** {@link #fsck(Optional, boolean, boolean, Duration, Progress)} with the default grace. */
  default FsckReport fsck(Optional<RunId> run, boolean deep, boolean repair, Progress progress) {
    return fsck(run, deep, repair, DEFAULT_ORPHAN_GRACE, progress);
  }

  /**
   * Checks every indexed version against the store and every stored version against the index.
   * Without {@code deep} an indexed version's bytes are checked for presence and size only (no
   * re-hash: a cost per version, not per byte); with {@code deep} they are re-read and re-hashed.
   * With {@code repair}, orphans whose store {@code createdAt} is older than {@code orphanGrace}
   * are removed from the store; younger ones are kept and reported. Orphans are never indexed or
   * attributed to an execution, so they can never reach a bundle. Drift is never repaired.
   *
   * @throws IllegalArgumentException {@code orphanGrace} is negative
   * @throws org.docsgen.store.ports.error.NotFoundException {@code run} does not exist
   */
  FsckReport fsck(
      Optional<RunId> run, boolean deep, boolean repair, Duration orphanGrace, Progress progress);

  /** Progress callback for long checks. */
  @FunctionalInterface
  interface Progress {
    void checked(long versions, String current);

    static Progress none() {
      return (versions, current) -> {};
    }
  }

  /**
   * One finding: a stable kind ({@code orphan}, or a drift kind: {@code missing}, {@code mismatch},
   * {@code corrupt}, {@code conflict}, {@code unreadable}), the path (and generation) concerned, a
   * sentence, whether it is drift (an integrity failure) and whether it was repaired (for an
   * orphan: removed from the store).
   */
  record Finding(
      String kind, String path, int generation, String detail, boolean drift, boolean repaired) {
    public static final String ORPHAN = "orphan";
  }

  /** The result: how many versions were checked and what was found. */
  record FsckReport(long checked, List<Finding> findings) {
    public FsckReport {
      findings = List.copyOf(findings);
    }

    /** No drift: orphans, removed or not, never make a report unclean. */
    public boolean clean() {
      return findings.stream().noneMatch(Finding::drift);
    }

    /** How many orphans were found (removed or kept). */
    public long orphans() {
      return findings.stream().filter(f -> !f.drift()).count();
    }

    /** How many of them this pass removed. */
    public long orphansRemoved() {
      return findings.stream().filter(f -> !f.drift() && f.repaired()).count();
    }

    /** How many drift findings (each an integrity failure). */
    public long drift() {
      return findings.stream().filter(Finding::drift).count();
    }
  }
}
