package org.docsgen.store.ports.out;

import java.time.Instant;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;

/**
 * What {@link ArtifactStore#deleteOrphan} did with the version it was given. Only {@link #REMOVED}
 * changed the store; every other outcome left it exactly as it was.
 */
public enum OrphanRemoval {
  /** The version's bytes and its description are gone; the generation can be written again. */
  REMOVED,
  /** The store holds no such generation (never written, or already removed). */
  ABSENT,
  /** Kept: the store's own {@code createdAt} of the version is not before the cutoff. */
  TOO_YOUNG,
  /** Kept: a later generation of the path exists, and generations must stay contiguous. */
  NOT_LATEST,
  /** Kept: the store's version of that generation has another hash than the one named. */
  OTHER_BYTES;

  /**
   * The rule every store applies to the version it holds for the named generation before it looks
   * at later generations: {@link #OTHER_BYTES} when its hash is not the named one, {@link
   * #TOO_YOUNG} when the store's own {@code createdAt} is not before {@code createdBefore}, else
   * empty (removable as far as these two say).
   */
  public static Optional<OrphanRemoval> keptFor(
      ArtifactInfo stored, ArtifactInfo named, Instant createdBefore) {
    if (!stored.hash().equals(named.hash())) {
      return Optional.of(OTHER_BYTES);
    }
    if (!stored.createdAt().isBefore(createdBefore)) {
      return Optional.of(TOO_YOUNG);
    }
    return Optional.empty();
  }
}
