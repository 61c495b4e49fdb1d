package org.docsgen.store.ports.guard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;

/**
 * Mints and checks overwrite tokens: {@code v1.<payload>.<mac>}, base64url, where the payload binds
 * the path, the generation and hash to be replaced, and an expiry, and the MAC is HMAC-SHA256 under
 * a key only the servers hold (every instance of one deployment shares it). A token works once
 * because it names the exact generation it replaces: after the overwrite that generation is no
 * longer the latest, so the store's compare-and-swap refuses a second use.
 */
public final class OverwriteTokens {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
  private static final String VERSION = "v1";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();

  public OverwriteTokens(byte[] key, Clock clock, Duration ttl) {
    requireNonNull(key, "key is null");
    if (key.length < 32) {
      throw new IllegalArgumentException("an overwrite-token key needs at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.clock = requireNonNull(clock, "clock is null");
    this.ttl = requireNonNull(ttl, "ttl is null");
  }

  public OverwriteTokens(byte[] key, Clock clock) {
    this(key, clock, DEFAULT_TTL);
  }

  /** A token permitting one overwrite of {@code expected}, valid for the configured TTL. */
  public String mint(ArtifactVersion expected) {
    requireNonNull(expected, "expected is null");
    Instant expiresAt = clock.instant().plus(ttl);
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    String payload =
        String.join(
            "\n",
            expected.path().toString(),
            Integer.toString(expected.generation()),
            expected.hash().toString(),
            Long.toString(expiresAt.getEpochSecond()),
            B64.encodeToString(nonce));
    String body = B64.encodeToString(payload.getBytes(UTF_8));
    return VERSION + "." + body + "." + B64.encodeToString(mac(body));
  }

  /** Now, by the clock that judges expiry (when a request carrying a token arrived). */
  public Instant now() {
    return clock.instant();
  }

  /** When a token minted now expires. */
  public Instant expiryOfNewToken() {
    return clock.instant().plus(ttl);
  }

  /**
   * Checks a token presented for a write to {@code path}: empty when it is malformed, forged,
   * expired, or minted for another path; the grant otherwise. Whether the grant still matches the
   * current version is the store guard's compare-and-swap, not this check.
   */
  public Optional<OverwriteGrant> verify(String token, LogicalPath path) {
    return check(token, path).grant();
  }

  /** Like {@link #verify} but says why a token is refused. */
  public Check check(String token, LogicalPath path) {
    return check(token, path, clock.instant());
  }

  /**
   * Like {@link #check(String, LogicalPath)}, with the expiry judged at {@code presentedAt} (when
   * the request carrying it arrived) rather than now, so an upload still streaming when the token
   * expires is not refused for it. A {@code presentedAt} in the future counts as now.
   */
  public Check check(String token, LogicalPath path, Instant presentedAt) {
    requireNonNull(path, "path is null");
    requireNonNull(presentedAt, "presentedAt is null");
    Instant now = clock.instant();
    Instant at = presentedAt.isAfter(now) ? now : presentedAt;
    if (token == null) {
      return Check.refused("no overwrite token");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      return Check.refused("the overwrite token is malformed");
    }
    byte[] presented;
    String payload;
    try {
      presented = B64D.decode(parts[2]);
      payload = new String(B64D.decode(parts[1]), UTF_8);
    } catch (IllegalArgumentException e) {
      return Check.refused("the overwrite token is malformed");
    }
    if (!MessageDigest.isEqual(presented, mac(parts[1]))) {
      return Check.refused("the overwrite token was not issued by this deployment");
    }
    String[] fields = payload.split("\n", -1);
    if (fields.length != 5) {
      return Check.refused("the overwrite token is malformed");
    }
    if (!fields[0].equals(path.toString())) {
      return Check.refused("the overwrite token was issued for another path (" + fields[0] + ")");
    }
    Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(fields[3]));
    if (!at.isBefore(expiresAt)) {
      return Check.refused("the overwrite token expired at " + expiresAt);
    }
    try {
      ArtifactVersion expected =
          new ArtifactVersion(path, Integer.parseInt(fields[1]), ContentHash.parse(fields[2]));
      return new Check(Optional.of(new OverwriteGrant(expected, expiresAt)), "");
    } catch (IllegalArgumentException e) {
      return Check.refused("the overwrite token is malformed");
    }
  }

  /** The outcome of checking a token: a grant, or the reason there is none. */
  public record Check(Optional<OverwriteGrant> grant, String problem) {
    static Check refused(String problem) {
      return new Check(Optional.empty(), problem);
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }
}
