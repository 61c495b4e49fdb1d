package org.docsgen.store.ports.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.contract.ArtifactStoreContract;
import org.docsgen.store.ports.guard.OverwriteTokens;
import org.docsgen.store.ports.out.ArtifactStore;

/** The contract suite passes on a correct store. */
class InMemoryArtifactStoreTest extends ArtifactStoreContract {
  private InMemoryArtifactStore memory;

  @Override
  protected ArtifactStore createStore(OverwriteTokens tokens, Clock clock) {
    memory = new InMemoryArtifactStore(tokens, clock);
    return memory;
  }

  @Override
  protected void assertBackendEmpty() {
    assertThat(memory.isEmpty()).isTrue();
  }

  @Override
  protected void tamper(LogicalPath path, int generation) {
    memory.tamper(path, generation);
  }
}
