package org.docsgen.store.ports.error;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * A write to an existing artifact was refused, by the manifest {@linkplain Layer#POLICY policy} or
 * by the artifact store's {@linkplain Layer#STORE guard} (no token, a forged, expired, reused or
 * other-path token, or a stale expected hash). Carries the path and the current hash.
 */
public final class ImmutableException extends RefusedException {
  /** Which of the two immutability layers refused. */
  public enum Layer {
    POLICY,
    STORE;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Layer layer;
  private final LogicalPath path;
  private final ContentHash currentHash;

  public ImmutableException(Layer layer, LogicalPath path, ContentHash currentHash, String reason) {
    super(
        layer == Layer.POLICY ? "immutable-policy" : "immutable-store",
        requireNonNull(path, "path is null")
            + " is immutable ("
            + layer.label()
            + "): "
            + requireNonNull(reason, "reason is null")
            + (currentHash == null ? "" : "; current hash " + currentHash));
    this.layer = requireNonNull(layer, "layer is null");
    this.path = path;
    this.currentHash = currentHash;
  }

  public Layer layer() {
    return layer;
  }

  public LogicalPath path() {
    return path;
  }

  public Optional<ContentHash> currentHash() {
    return Optional.ofNullable(currentHash);
  }
}
