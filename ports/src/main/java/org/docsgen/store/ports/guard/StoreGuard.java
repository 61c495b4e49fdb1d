package org.docsgen.store.ports.guard;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.ImmutableException;
import org.docsgen.store.ports.out.WriteRequest;

/**
 * Layer 2 of the immutability design, shared by every {@code ArtifactStore}: given the path's
 * current latest version (as the store itself sees it) and the hash of the incoming bytes, decide
 * whether the write creates generation 1, is an idempotent no-op, or may create generation N+1 — or
 * refuse. The store then performs the decision with its own atomic primitive (exclusive create of
 * the new generation's location), so that two writers deciding the same thing cannot both succeed;
 * the loser re-reads and, if the winner wrote the same bytes, reports {@code UNCHANGED}.
 */
public final class StoreGuard {
  private final OverwriteTokens tokens;

  public StoreGuard(OverwriteTokens tokens) {
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  /** What a store may do with a write. */
  public sealed interface Decision {
    /** Create {@code generation} (1 for a new path, N+1 for a permitted overwrite). */
    record Create(int generation) implements Decision {}

    /** The same bytes are already the latest generation. */
    record Unchanged(ArtifactInfo existing) implements Decision {}
  }

  /**
   * Decides a write. Refuses with {@link AlreadyExistsException} for a create-only write to an
   * existing path, and with {@link ImmutableException} ({@code STORE} layer) for an overwrite
   * without a valid token for this path whose expected version is the current one.
   */
  public Decision decide(
      WriteRequest request, Optional<ArtifactInfo> current, ContentHash incoming) {
    requireNonNull(request, "request is null");
    requireNonNull(current, "current is null");
    requireNonNull(incoming, "incoming is null");
    if (current.isEmpty()) {
      return new Decision.Create(1);
    }
    ArtifactInfo existing = current.get();
    if (request.createOnly()) {
      throw new AlreadyExistsException(request.path(), existing.hash());
    }
    if (existing.hash().equals(incoming)) {
      return new Decision.Unchanged(existing);
    }
    requireToken(request, existing);
    return new Decision.Create(existing.generation() + 1);
  }

  /**
   * Refuses with {@link ImmutableException} ({@code STORE} layer) unless {@code request} carries a
   * token for its path, unexpired when it was presented ({@link WriteRequest#tokenPresentedAt}),
   * whose expected version is {@code existing}. The application checks this when a request arrives,
   * before its body; the store's compare-and-swap of {@code existing} then consumes the token where
   * the write commits.
   */
  public void requireToken(WriteRequest request, ArtifactInfo existing) {
    requireNonNull(request, "request is null");
    requireNonNull(existing, "existing is null");
    OverwriteTokens.Check check =
        request.tokenPresentedAt() == null
            ? tokens.check(request.overwriteToken(), request.path())
            : tokens.check(request.overwriteToken(), request.path(), request.tokenPresentedAt());
    if (check.grant().isEmpty()) {
      throw refused(existing, check.problem() + "; ask the policy for an overwrite token");
    }
    OverwriteGrant grant = check.grant().get();
    if (grant.expected().generation() != existing.generation()
        || !grant.expected().hash().equals(existing.hash())) {
      throw refused(
          existing,
          "the overwrite token expects generation "
              + grant.expected().generation()
              + " ("
              + grant.expected().hash()
              + ") but the current generation is "
              + existing.generation()
              + "; the token is stale or was already used");
    }
  }

  /**
   * The refusal a store reports when its atomic create of a generation lost a race to a writer of
   * different bytes.
   */
  public static ImmutableException lostRace(ArtifactInfo winner) {
    return refused(
        winner,
        "another writer created generation " + winner.generation() + " first with different bytes");
  }

  private static ImmutableException refused(ArtifactInfo existing, String reason) {
    return new ImmutableException(
        ImmutableException.Layer.STORE, existing.path(), existing.hash(), reason);
  }
}
