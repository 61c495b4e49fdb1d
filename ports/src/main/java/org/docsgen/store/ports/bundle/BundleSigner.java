package org.docsgen.store.ports.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Signs bundle attestations with Ed25519 (the JDK's own provider) and verifies them offline. A
 * signature covers the UTF-8 bytes of the attestation JSON exactly as given and is written in
 * standard base64. Keys travel in the JDK's standard encodings: the private key as PKCS#8 ({@code
 * PrivateKey.getEncoded()}), the public key as X.509 SubjectPublicKeyInfo ({@code
 * PublicKey.getEncoded()}).
 */
public final class BundleSigner {
  public static final String ALGORITHM = "Ed25519";

  private final KeyPair keyPair;

  public BundleSigner(KeyPair keyPair) {
    this.keyPair = requireNonNull(keyPair, "keyPair is null");
    requireNonNull(keyPair.getPrivate(), "private key is null");
    requireNonNull(keyPair.getPublic(), "public key is null");
    if (!ALGORITHM.equals(keyPair.getPrivate().getAlgorithm())
        && !"EdDSA".equals(keyPair.getPrivate().getAlgorithm())) {
      throw new IllegalArgumentException(
          "a bundle signing key must be Ed25519, was " + keyPair.getPrivate().getAlgorithm());
    }
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
      return keyFactory().generatePublic(new X509EncodedKeySpec(publicKey));
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("not an Ed25519 X.509 public key", e);
    }
  }

  /** The base64 Ed25519 signature of the UTF-8 bytes of {@code attestationJson}. */
  public String sign(String attestationJson) {
    requireNonNull(attestationJson, "attestationJson is null");
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(keyPair.getPrivate());
      signature.update(attestationJson.getBytes(UTF_8));
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
    requireNonNull(publicKey, "publicKey is null");
    requireNonNull(json, "json is null");
    if (signatureBase64 == null) {
      return false;
    }
    try {
      byte[] raw = Base64.getDecoder().decode(signatureBase64);
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(publicKey);
      signature.update(json.getBytes(UTF_8));
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

  /** The public key as base64 of its X.509 encoding, for publishing beside a bundle. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(keyPair.getPublic().getEncoded());
  }

  private static KeyFactory keyFactory() {
    try {
      return KeyFactory.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no Ed25519", e);
    }
  }
}
