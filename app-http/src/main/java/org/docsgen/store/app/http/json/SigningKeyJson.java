package org.docsgen.store.app.http.json;

import org.docsgen.store.ports.in.BundleUseCases.SigningKey;

/**
 * A public key that verifies the deployment's bundle attestations: {@code keyid} (lowercase hex
 * SHA-256 of the key's X.509 SubjectPublicKeyInfo, as in the DSSE envelope), {@code algorithm}
 * ({@code ed25519}) and the key as a PEM {@code PUBLIC KEY} block.
 */
public record SigningKeyJson(String keyid, String algorithm, String publicKeyPem) {
  public static final String ED25519 = "ed25519";

  public static SigningKeyJson of(SigningKey key) {
    return new SigningKeyJson(key.keyId(), ED25519, key.publicKeyPem());
  }
}
