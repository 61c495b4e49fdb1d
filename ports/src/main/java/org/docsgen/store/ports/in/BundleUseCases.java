package org.docsgen.store.ports.in;

import java.util.List;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.run.RunId;

/** Create a run's deliverable bundle and prove it. */
public interface BundleUseCases {

  /**
   * Gate first, then the deterministic zip of the run's core files, stored immutably at {@code
   * <runId>/final/docsgen-documentation-bundle.zip}, with its signed attestation.
   *
   * @throws org.docsgen.store.ports.error.GateNotPassedException gate failing or core files missing
   *     (all of them named)
   * @throws org.docsgen.store.ports.error.RefusedException {@code already-bundled}
   */
  BundleRecord createBundle(RunId runId, String actor);

  /** Re-reads the stored zip and proves each entry equals the validated artifact it came from. */
  BundleVerification verify(RunId runId);

  /** The outcome of a verification: valid, and one line per check (failures first). */
  record BundleVerification(
      RunId runId, boolean valid, List<String> problems, BundleRecord bundle) {}
}
