package org.docsgen.store.domain.approval;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.TreeSet;
import org.docsgen.store.domain.artifact.ArtifactVersion;
import org.docsgen.store.domain.artifact.ContentHash;

/**
 * The digest of an exact set of artifact versions, recorded with an approval: SHA-256 over the
 * UTF-8 bytes of the lines {@code <path>\t<generation>\t<hash>\n} (hash written {@code
 * sha256:<hex>}), sorted by Java string order, each distinct line once. The order the caller lists
 * versions in does not matter, and listing one version twice does not change the digest. The empty
 * set has the SHA-256 of no bytes.
 */
public final class ContentDigest {
  private ContentDigest() {}

  /** The digest of {@code versions}. */
  public static ContentHash of(Collection<ArtifactVersion> versions) {
    return ContentHash.sha256(canonicalText(versions).getBytes(StandardCharsets.UTF_8));
  }

  /** The exact text that {@link #of} hashes, for anyone re-computing the digest elsewhere. */
  public static String canonicalText(Collection<ArtifactVersion> versions) {
    requireNonNull(versions, "versions is null");
    TreeSet<String> lines = new TreeSet<>();
    for (ArtifactVersion version : versions) {
      requireNonNull(version, "version is null");
      lines.add(version.path() + "\t" + version.generation() + "\t" + version.hash() + "\n");
    }
    return String.join("", lines);
  }
}
