package org.docsgen.store.ports.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DsseTest {
  @Test
  void paeIsTheSpecsEncoding() {
    // the test vector of the DSSE protocol document
    assertThat(
            new String(
                Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(UTF_8)), UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    // lengths are byte lengths, not character counts
    assertThat(new String(Dsse.pae("t", "é".getBytes(UTF_8)), UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
  }

  @Test
  void theEnvelopeHasTheSpecsFieldsOnOneLine() {
    assertThat(Dsse.envelope(Dsse.IN_TOTO_PAYLOAD_TYPE, "{}".getBytes(UTF_8), "ab", "c2ln"))
        .isEqualTo(
            "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\","
                + "\"signatures\":[{\"keyid\":\"ab\",\"sig\":\"c2ln\"}]}");
  }

  @Test
  void aKeyIdIsTheSha256OfTheSubjectPublicKeyInfo() throws Exception {
    KeyPair keys = BundleSigner.generate();
    assertThat(BundleSigner.keyId(keys.getPublic()))
        .isEqualTo(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded())))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void aPublicKeyRoundTripsThroughPem() {
    KeyPair keys = BundleSigner.generate();
    String pem = BundleSigner.publicKeyPem(keys.getPublic());
    assertThat(pem)
        .startsWith("-----BEGIN PUBLIC KEY-----\n")
        .endsWith("-----END PUBLIC KEY-----\n");
    assertThat(BundleSigner.publicKeyFromPem("# a comment\n" + pem).getEncoded())
        .isEqualTo(keys.getPublic().getEncoded());
    assertThatThrownBy(() -> BundleSigner.publicKeyFromPem("nothing"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no -----BEGIN PUBLIC KEY-----");
    assertThatThrownBy(() -> BundleSigner.publicKeyFromPem(pem + pem))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 PUBLIC KEY blocks");
  }

  @Test
  void theSignerListsItsOwnKeyFirstThenTheRetiredOnesOnce() {
    KeyPair old = BundleSigner.generate();
    KeyPair current = BundleSigner.generate();
    BundleSigner signer =
        new BundleSigner(current, List.of(old.getPublic(), current.getPublic(), old.getPublic()));
    assertThat(signer.verificationKeys()).containsExactly(current.getPublic(), old.getPublic());
  }
}
