package org.docsgen.store.ports.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class BundleSignerTest {
  private final KeyPair keys = BundleSigner.generate();
  private final BundleSigner signer = new BundleSigner(keys);

  @Test
  void aSignatureVerifiesWithThePublicKeyAndOnlyOverTheSameText() {
    String json = "{\"run\":\"run_2026_11_28_0001\",\"ü\":\"✓\"}";

    String signature = signer.sign(json);

    assertThat(BundleSigner.verify(signer.publicKey(), json, signature)).isTrue();
    assertThat(BundleSigner.verify(signer.publicKey(), json + " ", signature)).isFalse();
    assertThat(BundleSigner.verify(BundleSigner.generate().getPublic(), json, signature)).isFalse();
  }

  @Test
  void ed25519SignaturesAreDeterministic() {
    assertThat(signer.sign("same")).isEqualTo(signer.sign("same"));
  }

  @Test
  void malformedSignaturesDoNotVerifyAndDoNotThrow() {
    for (String bad : new String[] {null, "", "not base64 !!", "AAAA", signer.sign("x") + "A"}) {
      assertThat(BundleSigner.verify(signer.publicKey(), "x", bad)).as("%s", bad).isFalse();
    }
  }

  @Test
  void encodedKeysRoundTrip() {
    BundleSigner restored =
        BundleSigner.fromPkcs8(keys.getPrivate().getEncoded(), keys.getPublic().getEncoded());

    String signature = restored.sign("text");

    assertThat(signature).isEqualTo(signer.sign("text"));
    assertThat(
            BundleSigner.verify(
                BundleSigner.publicKeyFromX509(restored.publicKey().getEncoded()),
                "text",
                signature))
        .isTrue();
  }

  @Test
  void garbageKeysAreRefused() {
    assertThatThrownBy(() -> BundleSigner.fromPkcs8(new byte[] {1, 2}, new byte[] {3}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
