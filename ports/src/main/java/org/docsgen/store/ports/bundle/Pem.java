package org.docsgen.store.ports.bundle;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM armour (RFC 7468) for the keys: {@code -----BEGIN <LABEL>-----}, base64 in lines of 64,
 * {@code -----END <LABEL>-----}. Text outside the armour (comments) is ignored when reading.
 */
public final class Pem {
  public static final String PUBLIC_KEY = "PUBLIC KEY";
  public static final String PRIVATE_KEY = "PRIVATE KEY";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private Pem() {}

  /** One PEM block of {@code der} under {@code label}, ending with a newline. */
  public static String encode(String label, byte[] der) {
    requireNonNull(label, "label is null");
    requireNonNull(der, "der is null");
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** The DER bytes of every block labelled {@code label} in {@code text}, in order. */
  public static List<byte[]> decodeAll(String label, String text) {
    requireNonNull(label, "label is null");
    requireNonNull(text, "text is null");
    List<byte[]> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(label)) {
        try {
          blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "holds a " + label + " block that is not valid base64", e);
        }
      }
    }
    return blocks;
  }
}
