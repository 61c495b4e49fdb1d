package org.docsgen.store.adapters.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.domain.run.RunId;
import org.docsgen.store.domain.run.Stage;
import org.docsgen.store.ports.out.Page;
import org.docsgen.store.ports.out.PageRequest;
import org.docsgen.store.ports.paging.PageCursorCodec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Listings of a run: the claim keys in key order (ListObjectsV2 from a start key), one claim read
 * per listed version. A cursor is base64url of the last path listed ({@link #list}) or of {@code
 * <path>\n<generation>} ({@link #listVersions}); the next page starts after its keys.
 */
final class S3Listing {
  private static final PageCursorCodec CURSORS =
      PageCursorCodec.of(
          "\n", cursor -> "the cursor '" + cursor + "' was not issued by this listing");

  private final S3Keys keys;
  private final S3Objects objects;

  S3Listing(S3Keys keys, S3Objects objects) {
    this.keys = keys;
    this.objects = objects;
  }

  /** The latest claimed version of each path of the run (or stage), in path order. */
  Page<ArtifactInfo> list(RunId runId, Optional<Stage> stage, PageRequest page) {
    String prefix = stage.map(s -> keys.stagePrefix(runId, s)).orElse(keys.runPrefix(runId));
    String doing = "listing run " + runId + stage.map(s -> " stage " + s).orElse("");
    try {
      String startAfter =
          page.cursorValue().map(c -> keys.afterAllVersions(pathCursor(c, runId))).orElse(null);
      List<S3Keys.ParsedKey> latest = new ArrayList<>();
      S3Keys.ParsedKey current = null;
      for (S3Object object : objects.listFrom(prefix, startAfter)) {
        Optional<S3Keys.ParsedKey> parsed = keys.parse(object.key());
        if (parsed.isEmpty() || !parsed.get().isClaim()) {
          continue;
        }
        S3Keys.ParsedKey claim = parsed.get();
        if (current != null && !current.path().equals(claim.path())) {
          latest.add(current);
          if (latest.size() > page.limit()) {
            break;
          }
        }
        current = claim;
      }
      if (current != null && latest.size() <= page.limit()) {
        latest.add(current);
      }
      boolean more = latest.size() > page.limit();
      List<S3Keys.ParsedKey> items = more ? latest.subList(0, page.limit()) : latest;
      List<ArtifactInfo> infos = objects.claimedInfos(items);
      String next = more ? latestCursor(items.get(items.size() - 1).path()) : null;
      return new Page<>(infos, next);
    } catch (SdkException e) {
      throw S3Failures.translate(doing, e);
    }
  }

  /** Every claimed version of the run, by path and generation. */
  Page<ArtifactInfo> listVersions(RunId runId, PageRequest page) {
    try {
      String startAfter = page.cursorValue().map(c -> versionCursor(c, runId)).orElse(null);
      List<S3Keys.ParsedKey> claims = new ArrayList<>();
      for (S3Object object : objects.listFrom(keys.runPrefix(runId), startAfter)) {
        Optional<S3Keys.ParsedKey> parsed = keys.parse(object.key());
        if (parsed.isPresent() && parsed.get().isClaim()) {
          claims.add(parsed.get());
          if (claims.size() > page.limit()) {
            break;
          }
        }
      }
      boolean more = claims.size() > page.limit();
      List<S3Keys.ParsedKey> items = more ? claims.subList(0, page.limit()) : claims;
      String next = null;
      if (more) {
        S3Keys.ParsedKey last = items.get(items.size() - 1);
        next = versionsCursor(last.path(), last.generation());
      }
      return new Page<>(objects.claimedInfos(items), next);
    } catch (SdkException e) {
      throw S3Failures.translate("listing the versions of run " + runId, e);
    }
  }

  static String latestCursor(LogicalPath last) {
    return CURSORS.encode(last);
  }

  static String versionsCursor(LogicalPath last, int generation) {
    return CURSORS.encode(last, generation);
  }

  /** The path a {@link #list} cursor of {@code runId} resumes after. */
  static LogicalPath pathCursor(String cursor, RunId runId) {
    String text = CURSORS.decode(cursor, 1).get(0);
    try {
      LogicalPath path = LogicalPath.parse(text);
      if (path.runId().equals(runId)) {
        return path;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw CURSORS.refused(cursor);
  }

  /** The claim key a {@link #listVersions} cursor of {@code runId} resumes after. */
  String versionCursor(String cursor, RunId runId) {
    PageCursorCodec.Fields fields = CURSORS.decode(cursor, 2);
    int generation = fields.intAt(1);
    try {
      LogicalPath path = LogicalPath.parse(fields.get(0));
      if (path.runId().equals(runId) && generation >= 1) {
        return keys.claimKey(path, generation);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw CURSORS.refused(cursor);
  }
}
