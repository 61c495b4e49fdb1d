package org.docsgen.store.app.http.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.app.http.config.ServerConfig.TokenGrant;
import org.docsgen.store.domain.artifact.ContentHash;

/**
 * Resolves {@code Authorization: Bearer <token>} to a {@link Principal}. Tokens are compared in
 * constant time: the presented token and every configured one are reduced to SHA-256 digests of
 * equal length and compared with {@link MessageDigest#isEqual}, and every configured token is
 * compared on every request, so neither the content nor the position of a match shows in the time
 * taken.
 */
public final class BearerAuthenticator {
  private static final String SCHEME = "bearer ";

  private record Entry(byte[] digest, Principal principal) {}

  private final List<Entry> entries;

  public BearerAuthenticator(List<TokenGrant> grants) {
    this.entries =
        grants.stream()
            .map(g -> new Entry(digest(g.token()), new Principal(g.principal(), g.roles())))
            .toList();
  }

  /**
   * The principal for an {@code Authorization} header value; empty when the header is absent, not a
   * bearer token, or names no configured token.
   */
  public Optional<Principal> authenticate(String authorization) {
    if (authorization == null
        || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return Optional.empty();
    }
    byte[] presented = digest(authorization.substring(SCHEME.length()).strip());
    Principal found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(presented, entry.digest()) && found == null) {
        found = entry.principal();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] digest(String token) {
    return ContentHash.newDigest().digest(token.getBytes(UTF_8));
  }
}
