package org.docsgen.store.adapters.s3;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.UUID;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;

/**
 * The object-key layout (see docs/storage-layout.md, S3 section):
 *
 * <pre>
 *   &lt;root&gt;&lt;path&gt;!/&lt;generation, 10 digits&gt;/&lt;sha256 hex&gt;   the bytes of one candidate
 *   &lt;root&gt;&lt;path&gt;!/&lt;generation, 10 digits&gt;/claim          which candidate is the generation
 *   &lt;root&gt;.docsgen/probe/&lt;uuid&gt;                            start-up probe (deleted after)
 * </pre>
 *
 * A path whose file name is {@link LogicalPath#MAX_SEGMENT_BYTES} long ends in {@code /!/} instead
 * of {@code !/} (see {@link #versionsPrefix}).
 *
 * <p>{@code !} ends the logical path: it sorts below every character a path may hold ({@code
 * [A-Za-z0-9._-/]}), so the lexicographic order of keys (S3's listing order) is the order of
 * logical paths, then generations. A listing can therefore resume after a path with {@code
 * StartAfter}, which is how the port's cursor maps onto ListObjectsV2.
 */
final class S3Keys {
  static final String CLAIM = "claim";
  private static final String END_OF_PATH = "!/";
  private static final String END_OF_LONGEST_PATH = "/!/";

  private final String root;

  S3Keys(String root) {
    this.root = requireNonNull(root, "root is null");
  }

  String root() {
    return root;
  }

  /**
   * Every key of every generation of {@code path}: {@code <path>!/}, or {@code <path>/!/} when the
   * file name has the longest length a segment may have, so that no key segment is longer than 255
   * bytes (servers that map key segments to file names, like s3proxy's filesystem backend, refuse
   * {@code <255-byte name>!}). Key order stays path order: such a name cannot be extended within
   * its segment, so what follows it in any other path's key is {@code /}, then a segment character,
   * which sorts after {@code !}.
   */
  String versionsPrefix(LogicalPath path) {
    return root + path + (isLongest(path) ? END_OF_LONGEST_PATH : END_OF_PATH);
  }

  private static boolean isLongest(LogicalPath path) {
    return path.fileName().length() >= LogicalPath.MAX_SEGMENT_BYTES;
  }

  String generationPrefix(LogicalPath path, int generation) {
    return versionsPrefix(path) + String.format("%010d", generation) + "/";
  }

  String claimKey(LogicalPath path, int generation) {
    return generationPrefix(path, generation) + CLAIM;
  }

  String contentKey(LogicalPath path, int generation, ContentHash hash) {
    return generationPrefix(path, generation) + hash.hex();
  }

  /** Sorts after every key of {@code path} and before the keys of any later path. */
  String afterAllVersions(LogicalPath path) {
    return versionsPrefix(path) + "~";
  }

  String runPrefix(RunId runId) {
    return root + runId + "/";
  }

  String stagePrefix(RunId runId, Stage stage) {
    return runPrefix(runId) + stage + "/";
  }

  String newProbeKey() {
    return root + ".docsgen/probe/" + UUID.randomUUID();
  }

  /** Parses a key of this layout; empty for anything else (foreign objects are ignored). */
  Optional<ParsedKey> parse(String key) {
    if (!key.startsWith(root)) {
      return Optional.empty();
    }
    String rest = key.substring(root.length());
    int end = rest.indexOf(END_OF_PATH);
    if (end < 0) {
      return Optional.empty();
    }
    String[] tail = rest.substring(end + END_OF_PATH.length()).split("/", -1);
    if (tail.length != 2
        || tail[0].length() != 10
        || !tail[0].chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    String pathText = rest.substring(0, end);
    boolean longest = pathText.endsWith("/");
    if (longest) {
      pathText = pathText.substring(0, pathText.length() - 1);
    }
    try {
      LogicalPath path = LogicalPath.parse(pathText);
      if (longest != isLongest(path)) {
        return Optional.empty(); // not the one key this layout gives the path
      }
      int generation = Integer.parseInt(tail[0]);
      if (generation < 1) {
        return Optional.empty();
      }
      ContentHash hash = tail[1].equals(CLAIM) ? null : new ContentHash(tail[1]);
      return Optional.of(new ParsedKey(path, generation, hash));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A parsed key: a generation's claim ({@code hash == null}) or one of its content objects. */
  record ParsedKey(LogicalPath path, int generation, ContentHash hash) {
    boolean isClaim() {
      return hash == null;
    }
  }
}
