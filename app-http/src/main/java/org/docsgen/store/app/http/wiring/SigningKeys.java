package org.docsgen.store.app.http.wiring;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.ports.bundle.BundleSigner;

/**
 * The deployment's one secret, {@code signing.keyFile}: an Ed25519 key pair in PEM ({@code PRIVATE
 * KEY} as PKCS#8, then {@code PUBLIC KEY} as X.509), readable by openssl. Generated on first start
 * (mode 0600, published with an atomic link so two instances starting together agree on one key).
 * It signs bundle attestations, and the overwrite-token HMAC key is derived from it — HMAC-SHA256
 * keyed with the PKCS#8 bytes as stored, over a fixed label — so every instance sharing the key
 * file accepts the others' tokens, and nothing else needs distributing.
 */
public final class SigningKeys {
  private static final String TOKEN_KEY_LABEL = "docsgen-store/overwrite-token-key/v1";
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private final byte[] privateKey;
  private final byte[] publicKey;

  private SigningKeys(byte[] privateKey, byte[] publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** Reads {@code keyFile}, generating it first when it does not exist. */
  public static SigningKeys loadOrCreate(Path keyFile) {
    if (!Files.exists(keyFile)) {
      create(keyFile);
    }
    return read(keyFile);
  }

  public BundleSigner signer() {
    try {
      return BundleSigner.fromPkcs8(privateKey, publicKey);
    } catch (RuntimeException e) {
      throw new ConfigException(
          "signing.keyFile", "does not hold an Ed25519 key pair: " + e.getMessage());
    }
  }

  /** The 32-byte overwrite-token key derived from the signing key. */
  public byte[] overwriteTokenKey() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(privateKey, "HmacSHA256"));
      return mac.doFinal(TOKEN_KEY_LABEL.getBytes(US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  private static SigningKeys read(Path keyFile) {
    String text;
    try {
      text = Files.readString(keyFile, US_ASCII);
    } catch (IOException e) {
      throw new ConfigException("signing.keyFile", "cannot read " + keyFile + ": " + e);
    }
    byte[] priv = null;
    byte[] pub = null;
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      if (m.group(1).equals("PRIVATE KEY")) {
        priv = der;
      } else if (m.group(1).equals("PUBLIC KEY")) {
        pub = der;
      }
    }
    if (priv == null || pub == null) {
      throw new ConfigException(
          "signing.keyFile",
          keyFile + " must hold a PEM PRIVATE KEY (PKCS#8) and a PUBLIC KEY (X.509), Ed25519");
    }
    return new SigningKeys(priv, pub);
  }

  private static void create(Path keyFile) {
    java.security.KeyPair pair = BundleSigner.generate();
    String pem =
        pem("PRIVATE KEY", pair.getPrivate().getEncoded())
            + pem("PUBLIC KEY", pair.getPublic().getEncoded());
    Path temp = null;
    try {
      Path dir = keyFile.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, ".signing-", ".tmp");
      restrict(temp);
      Files.writeString(temp, pem, US_ASCII);
      try {
        Files.createLink(keyFile, temp); // atomic, and refuses when another instance won
      } catch (UnsupportedOperationException e) {
        Files.move(temp, keyFile);
        temp = null;
      }
    } catch (FileAlreadyExistsException e) {
      // another instance created it first: use theirs
    } catch (IOException e) {
      throw new ConfigException("signing.keyFile", "cannot create " + keyFile + ": " + e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a leftover temporary file holds nothing the key file does not
        }
      }
    }
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX filesystem: the directory's protection applies
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
