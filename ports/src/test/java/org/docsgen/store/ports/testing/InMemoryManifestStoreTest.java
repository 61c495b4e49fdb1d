package org.docsgen.store.ports.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.ports.contract.ManifestStoreContract;
import org.docsgen.store.ports.out.ManifestStore;

/** The contract suite passes on a correct manifest. */
class InMemoryManifestStoreTest extends ManifestStoreContract {
  private InMemoryManifestStore memory;

  @Override
  protected ManifestStore createStore() {
    memory = new InMemoryManifestStore();
    return memory;
  }

  @Override
  protected void assertBackendEmpty() {
    assertThat(memory.isEmpty()).isTrue();
  }

  @Override
  protected OptionalLong rawApprovalRowCount(RunId runId) {
    return OptionalLong.of(memory.approvalRowCount(runId));
  }
}
