package org.docsgen.store.adapters.fs;

import java.time.Clock;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;

/**
 * The port contract again with nothing packed: every generation a directory, as artifacts over the
 * packed maximum always are.
 */
class FsDirectoryArtifactStoreTest extends FsArtifactStoreTest {
  @Override
  protected ArtifactStore createStore(OverwriteTokens tokens, Clock clock) {
    root = temp.resolve("artifacts");
    return new FsArtifactStore(root, tokens, clock, FsArtifactStore.NO_PACKING);
  }
}
