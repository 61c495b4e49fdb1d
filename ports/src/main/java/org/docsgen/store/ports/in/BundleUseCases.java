package org.docsgen.store.ports.in;

import java.util.List;
import org.docsgen.store.domain.bundle.BundleRecord;
import org.docsgen.store.domain.run.RunId;

/** Create a run's deliverable bundle and prove it. */
public interface BundleUseCases {

  /**
   * Gate first, then the deterministic zip of the run's core files, stored immutably at {@code
   * <runId>/final/docsgen-documentation-bundle.zip}, with its attestation (an in-toto Statement in
   * a DSSE envelope) at {@code <runId>/final/docsgen-documentation-bundle.intoto.jsonl}.
   *
   * @throws org.docsgen.store.ports.error.GateNotPassedException gate failing or core files missing
   *     (all of them named)
   * @throws org.docsgen.store.ports.error.RefusedException {@code already-bundled}
   */
  BundleRecord createBundle(RunId runId, String actor);

  /** Re-reads the stored zip and proves each entry equals the validated artifact it came from. */
  BundleVerification verify(RunId runId);

  /**
   * The run's bundle attestation exactly as stored: a DSSE envelope (one line of JSON and a
   * newline) signing an in-toto Statement v1.
   *
   * @throws org.docsgen.store.ports.error.NotFoundException unknown run, or a run with no bundle
   */
  byte[] attestation(RunId runId);

  /**
   * The deployment's public keys that verify its bundles: the signing key first, then the retired
   * keys it still trusts.
   */
  List<SigningKey> signingKeys();

  /** A public key: its id (hex SHA-256 of its SubjectPublicKeyInfo) and its PEM text. */
  record SigningKey(String keyId, String publicKeyPem) {}

  /** The outcome of a verification: valid, and one line per check (failures first). */
  record BundleVerification(
      RunId runId, boolean valid, List<String> problems, BundleRecord bundle) {}
}
