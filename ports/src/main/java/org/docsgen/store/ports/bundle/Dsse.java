package org.docsgen.store.ports.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * The DSSE envelope (github.com/secure-systems-lab/dsse, protocol v1) of a bundle attestation.
 * Signatures cover the pre-authentication encoding {@code PAE(type, body) = "DSSEv1" SP LEN(type)
 * SP type SP LEN(body) SP body}, where {@code LEN} is the byte length in ASCII decimal and {@code
 * SP} one space. The envelope is written on one line as {@code
 * {"payloadType":"…","payload":"<base64>","signatures":[{"keyid":"<hex>","sig":"<base64>"}]}}
 * (standard base64 with padding), the same bytes for the same inputs.
 */
public final class Dsse {
  /** The payload type of an in-toto Statement. */
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

  private Dsse() {}

  /** The bytes a DSSE signature covers. */
  public static byte[] pae(String payloadType, byte[] payload) {
    requireNonNull(payloadType, "payloadType is null");
    requireNonNull(payload, "payload is null");
    byte[] type = payloadType.getBytes(UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(UTF_8));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(UTF_8));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** The envelope text (one line, no trailing newline) with one signature. */
  public static String envelope(String payloadType, byte[] payload, String keyId, String sig) {
    requireNonNull(keyId, "keyId is null");
    requireNonNull(sig, "sig is null");
    return "{\"payloadType\":"
        + CanonicalJson.write(payloadType)
        + ",\"payload\":"
        + CanonicalJson.write(Base64.getEncoder().encodeToString(payload))
        + ",\"signatures\":[{\"keyid\":"
        + CanonicalJson.write(keyId)
        + ",\"sig\":"
        + CanonicalJson.write(sig)
        + "}]}";
  }
}
