package org.docsgen.store.ports.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs bundle attestations with Ed25519 (the JDK's own provider) and verifies them offline. A
 * signature covers the given bytes exactly (for an attestation: the DSSE pre-authentication
 * encoding, see {@link Dsse#pae}) and is written in standard base64. Keys travel in the JDK's
 * standard encodings: the private key as PKCS#8 ({@code PrivateKey.getEncoded()}), the public key
 * as X.509 SubjectPublicKeyInfo ({@code PublicKey.getEncoded()}); a key's id is the lowercase hex
 * SHA-256 of that SubjectPublicKeyInfo. Besides its own key a signer knows the deployment's retired
 * keys, which still verify older bundles (key rotation), never sign.
 */
public final class BundleSigner {
  public static final String ALGORITHM = "Ed25519";

  private final KeyPair keyPair;
  private final List<PublicKey> retired;

  public BundleSigner(KeyPair keyPair) {
    this(keyPair, List.of());
  }

  /**
   * A signer that also verifies with {@code retired} keys (duplicates of its own key, or of each
   * other, are dropped).
   */
  public BundleSigner(KeyPair keyPair, List<PublicKey> retired) {
    this.keyPair = requireNonNull(keyPair, "keyPair is null");
    requireNonNull(retired, "retired is null");
    requireNonNull(keyPair.getPrivate(), "private key is null");
    requireNonNull(keyPair.getPublic(), "public key is null");
    if (!ALGORITHM.equals(keyPair.getPrivate().getAlgorithm())
        && !"EdDSA".equals(keyPair.getPrivate().getAlgorithm())) {
      throw new IllegalArgumentException(
          "a bundle signing key must be Ed25519, was " + keyPair.getPrivate().getAlgorithm());
    }
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    byId.put(keyId(keyPair.getPublic()), keyPair.getPublic());
    for (PublicKey key : retired) {
      byId.putIfAbsent(keyId(requireNonNull(key, "a retired key is null")), key);
    }
    this.retired = List.copyOf(byId.values()).subList(1, byId.size());
  }

  /** A fresh Ed25519 key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  /**
   * A signer from encoded keys (PKCS#8 private key, X.509 public key).
   *
   * @throws IllegalArgumentException when a key is not a valid Ed25519 key in that encoding
   */
  public static BundleSigner fromPkcs8(byte[] privateKey, byte[] publicKey) {
    requireNonNull(privateKey, "privateKey is null");
    requireNonNull(publicKey, "publicKey is null");
    try {
      PrivateKey priv = keyFactory().generatePrivate(new PKCS8EncodedKeySpec(privateKey));
      return new BundleSigner(new KeyPair(publicKeyFromX509(publicKey), priv));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key", e);
    }
  }

  /**
   * Decodes an X.509 (SubjectPublicKeyInfo) Ed25519 public key, e.g. one published for offline
   * verification.
   */
  public static PublicKey publicKeyFromX509(byte[] publicKey) {
    requireNonNull(publicKey, "publicKey is null");
    try {
      PublicKey key = keyFactory().generatePublic(new X509EncodedKeySpec(publicKey));
      if (!ALGORITHM.equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())) {
        throw new IllegalArgumentException("not an Ed25519 X.509 public key");
      }
      return key;
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("not an Ed25519 X.509 public key", e);
    }
  }

  /** The base64 Ed25519 signature of the UTF-8 bytes of {@code text}. */
  public String sign(String text) {
    requireNonNull(text, "text is null");
    return sign(text.getBytes(UTF_8));
  }

  /** The base64 Ed25519 signature of {@code message}. */
  public String sign(byte[] message) {
    requireNonNull(message, "message is null");
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(keyPair.getPrivate());
      signature.update(message);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * Whether {@code signatureBase64} is a valid Ed25519 signature by {@code publicKey} over the
   * UTF-8 bytes of {@code json}. False (never an exception) for a malformed signature.
   */
  public static boolean verify(PublicKey publicKey, String json, String signatureBase64) {
    requireNonNull(json, "json is null");
    return verify(publicKey, json.getBytes(UTF_8), signatureBase64);
  }

  /**
   * Whether {@code signatureBase64} is a valid Ed25519 signature by {@code publicKey} over {@code
   * message}. False (never an exception) for a malformed signature.
   */
  public static boolean verify(PublicKey publicKey, byte[] message, String signatureBase64) {
    requireNonNull(publicKey, "publicKey is null");
    requireNonNull(message, "message is null");
    if (signatureBase64 == null) {
      return false;
    }
    try {
      byte[] raw = Base64.getDecoder().decode(signatureBase64);
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(publicKey);
      signature.update(message);
      return signature.verify(raw);
    } catch (IllegalArgumentException | SignatureException | InvalidKeyException e) {
      return false;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }

  public PublicKey publicKey() {
    return keyPair.getPublic();
  }

  /** The same signing key, verifying also with {@code retiredKeys} (replacing any it had). */
  public BundleSigner withRetired(List<PublicKey> retiredKeys) {
    return new BundleSigner(keyPair, retiredKeys);
  }

  /** The id of the signing key (see {@link #keyId(PublicKey)}). */
  public String keyId() {
    return keyId(keyPair.getPublic());
  }

  /**
   * Every key that verifies the deployment's bundles: the signing key first, then the retired ones
   * in the order configured.
   */
  public List<PublicKey> verificationKeys() {
    List<PublicKey> keys = new ArrayList<>();
    keys.add(keyPair.getPublic());
    keys.addAll(retired);
    return List.copyOf(keys);
  }

  /** The lowercase hex SHA-256 of the key's X.509 SubjectPublicKeyInfo (DER) bytes. */
  public static String keyId(PublicKey publicKey) {
    requireNonNull(publicKey, "publicKey is null");
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The key's SubjectPublicKeyInfo as a PEM {@code PUBLIC KEY} block. */
  public static String publicKeyPem(PublicKey publicKey) {
    requireNonNull(publicKey, "publicKey is null");
    return Pem.encode(Pem.PUBLIC_KEY, publicKey.getEncoded());
  }

  /**
   * The one Ed25519 public key of a PEM text.
   *
   * @throws IllegalArgumentException when the text holds no {@code PUBLIC KEY} block, more than
   *     one, or one that is not an Ed25519 key
   */
  public static PublicKey publicKeyFromPem(String pem) {
    List<byte[]> blocks = Pem.decodeAll(Pem.PUBLIC_KEY, requireNonNull(pem, "pem is null"));
    if (blocks.size() != 1) {
      throw new IllegalArgumentException(
          blocks.isEmpty()
              ? "holds no -----BEGIN PUBLIC KEY----- block"
              : "holds " + blocks.size() + " PUBLIC KEY blocks; give one key per file");
    }
    try {
      return publicKeyFromX509(blocks.get(0));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("holds a PUBLIC KEY that is not an Ed25519 key", e);
    }
  }

  private static KeyFactory keyFactory() {
    try {
      return KeyFactory.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }
}
