package org.docsgen.store.domain.artifact;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.docsgen.store.domain.InvalidValueException;

/** A SHA-256 content hash, written {@code sha256:<64 lowercase hex>}. */
public record ContentHash(String hex) {
  public static final String PREFIX = "sha256:";

  public ContentHash {
    requireNonNull(hex, "hex is null");
    if (!isLowerHex64(hex)) {
      throw new InvalidValueException("hash", "a SHA-256 hash is 64 lowercase hex digits");
    }
  }

  /** {@code [0-9a-f]{64}}, as a loop: every index row read builds a hash. */
  private static boolean isLowerHex64(String hex) {
    if (hex.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = hex.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /** Parses {@code sha256:<64 hex>}. */
  public static ContentHash parse(String text) {
    requireNonNull(text, "hash is null");
    if (!text.startsWith(PREFIX)) {
      throw new InvalidValueException("hash", "hash must look like sha256:<64 hex digits>");
    }
    return new ContentHash(text.substring(PREFIX.length()));
  }

  /** Wraps a finished SHA-256 digest (32 bytes). */
  public static ContentHash ofDigest(byte[] digest) {
    requireNonNull(digest, "digest is null");
    if (digest.length != 32) {
      throw new InvalidValueException(
          "hash", "a SHA-256 digest has 32 bytes, got " + digest.length);
    }
    return new ContentHash(HexFormat.of().formatHex(digest));
  }

  /** The SHA-256 of a small in-memory byte array; streams hash while they copy instead. */
  public static ContentHash sha256(byte[] bytes) {
    MessageDigest digest = newDigest();
    return ofDigest(digest.digest(bytes));
  }

  /** A fresh SHA-256 {@link MessageDigest}; every JDK has one. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public byte[] bytes() {
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public String toString() {
    return PREFIX + hex;
  }
}
