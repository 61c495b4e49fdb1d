package org.docsgen.store.app.http.wiring;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.docsgen.store.app.http.config.ConfigException;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.ports.bundle.BundleSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's one secret, {@code signing.keyFile}: an Ed25519 key pair in PEM ({@code PRIVATE
 * KEY} as PKCS#8, then {@code PUBLIC KEY} as X.509), readable by openssl. Generated on first start
 * when the file is missing or empty (see {@link #loadOrCreate}). It signs bundle attestations, and
 * the overwrite-token HMAC key is derived from it — HMAC-SHA256 keyed with the PKCS#8 bytes as
 * stored, over a fixed label — so every instance sharing the key file accepts the others' tokens,
 * and nothing else needs distributing.
 */
public final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  private static final String TOKEN_KEY_LABEL = "docsgen-store/overwrite-token-key/v1";
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  // A JVM may hold one lock per file: starts in one process queue here before the file lock.
  private static final Object IN_PROCESS = new Object();

  private final byte[] privateKey;
  private final byte[] publicKey;
  private final List<PublicKey> trusted;

  private SigningKeys(byte[] privateKey, byte[] publicKey, List<PublicKey> trusted) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.trusted = List.copyOf(trusted);
  }

  /**
   * The configured keys: {@code signing.keyFile} as {@link #loadOrCreate}, and every {@code
   * signing.trustedPublicKeys} file, each of which must hold exactly one Ed25519 {@code PUBLIC KEY}
   * in PEM (anything else stops the start with a message naming the key and the file).
   */
  public static SigningKeys load(ServerConfig.Signing signing) {
    SigningKeys keys = loadOrCreate(signing.keyFile());
    List<PublicKey> trusted = new ArrayList<>();
    for (int i = 0; i < signing.trustedPublicKeys().size(); i++) {
      trusted.add(
          readTrusted("signing.trustedPublicKeys[" + i + "]", signing.trustedPublicKeys().get(i)));
    }
    return new SigningKeys(keys.privateKey, keys.publicKey, trusted);
  }

  private static PublicKey readTrusted(String key, Path file) {
    String text;
    try {
      if (Files.size(file) > 64 * 1024) {
        throw new ConfigException(key, file + " is too large to be a PEM public key");
      }
      text = Files.readString(file, US_ASCII);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e);
    }
    try {
      return BundleSigner.publicKeyFromPem(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          key,
          file
              + " is not an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----, as `docsgen"
              + " keys` prints it): it "
              + e.getMessage());
    }
  }

  /**
   * Reads {@code keyFile}, generating it first when it is missing or empty (zero bytes: what a
   * power cut leaves of a key that was never synced, or a file an operator emptied to start over).
   * Of instances starting together on such a file exactly one generates the key and all use it:
   * they take turns under an exclusive lock on the file, and each re-checks before generating. The
   * key is written to a temporary file that is fsynced, renamed over {@code keyFile}, and the
   * directory fsynced, so the file never holds a partial key and a power cut after the start leaves
   * the same key. Any other content that is not a key pair is refused, never replaced.
   */
  public static SigningKeys loadOrCreate(Path keyFile) {
    if (holdsNoKey(keyFile)) {
      create(keyFile);
    }
    SigningKeys keys = read(keyFile);
    syncExisting(keyFile);
    return keys;
  }

  public BundleSigner signer() {
    try {
      return BundleSigner.fromPkcs8(privateKey, publicKey).withRetired(trusted);
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
    return new SigningKeys(priv, pub, List.of());
  }

  private static boolean holdsNoKey(Path keyFile) {
    try {
      return !Files.exists(keyFile) || Files.size(keyFile) == 0;
    } catch (IOException e) {
      throw new ConfigException("signing.keyFile", "cannot read " + keyFile + ": " + e);
    }
  }

  private static void create(Path keyFile) {
    Path dir = keyFile.toAbsolutePath().getParent();
    try {
      DurableDirectories.create(dir);
      synchronized (IN_PROCESS) {
        // The lock is on the (empty) file the name holds now; the winner renames a new file over
        // that name, so whoever gets the lock next re-checks the name and finds the key.
        try (FileChannel claim = FileChannel.open(keyFile, CREATE, WRITE);
            FileLock lock = claim.lock()) {
          if (holdsNoKey(keyFile)) {
            publish(keyFile, dir);
            LOG.info(
                "generated a bundle-signing key in {} (it was missing or empty); an attestation"
                    + " signed with an earlier key verifies only with that key",
                keyFile);
          }
        }
      }
    } catch (IOException e) {
      throw new ConfigException("signing.keyFile", "cannot create " + keyFile + ": " + e);
    }
  }

  /** Temporary file, fsync, rename over {@code keyFile}, fsync of the directory. */
  private static void publish(Path keyFile, Path dir) throws IOException {
    java.security.KeyPair pair = BundleSigner.generate();
    byte[] pem =
        (pem("PRIVATE KEY", pair.getPrivate().getEncoded())
                + pem("PUBLIC KEY", pair.getPublic().getEncoded()))
            .getBytes(US_ASCII);
    Path temp = Files.createTempFile(dir, ".signing-", ".tmp");
    try {
      restrict(temp);
      try (FileChannel out = FileChannel.open(temp, WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(pem);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true); // the bytes first: a rename is durable before its data otherwise
      }
      Files.move(temp, keyFile, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
      DurableDirectories.force(dir); // the rename itself
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * fsyncs a key file this start did not write: the instance that generated it a moment ago may not
   * have synced its directory yet, and this instance must not sign with a key a power cut can still
   * take back. Best effort: a read-only or exotic file system that refuses it keeps its key.
   */
  private static void syncExisting(Path keyFile) {
    try {
      try (FileChannel channel = FileChannel.open(keyFile, READ)) {
        channel.force(true);
      }
      DurableDirectories.force(keyFile.toAbsolutePath().getParent());
    } catch (IOException e) {
      LOG.debug("could not fsync {}: {}", keyFile, e.toString());
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
