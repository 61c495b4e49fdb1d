package org.docsgen.store.ports.out;

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
  OTHER_BYTES
}
