package org.docsgen.store.adapters.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lookups every part of the store shares: the claim of a generation, the head of an object, the
 * keys under a prefix. A 404 is an answer here (empty), not a failure; any other {@link
 * SdkException} propagates for the caller to translate with what it was doing.
 */
final class S3Objects {
  private final S3Client s3;
  private final String bucket;
  private final S3Keys keys;

  S3Objects(S3Client s3, String bucket, S3Keys keys) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keys = keys;
  }

  /** The latest claimed generation; empty when the path was never (completely) written. */
  Optional<Integer> latestClaimedGeneration(LogicalPath path) {
    Integer latest = null;
    for (S3Object object : listFrom(keys.versionsPrefix(path), null)) {
      Optional<S3Keys.ParsedKey> parsed = keys.parse(object.key());
      if (parsed.isPresent() && parsed.get().isClaim()) {
        latest = parsed.get().generation();
      }
    }
    return Optional.ofNullable(latest);
  }

  Optional<VersionRecord> readClaim(LogicalPath path, int generation) {
    try {
      byte[] body =
          s3.getObjectAsBytes(b -> b.bucket(bucket).key(keys.claimKey(path, generation)))
              .asByteArray();
      return Optional.of(VersionRecord.fromClaimBody(path, body));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The infos the claims hold, in the claims' order; a claim gone meanwhile is left out. */
  List<ArtifactInfo> claimedInfos(List<S3Keys.ParsedKey> claims) {
    List<ArtifactInfo> infos = new ArrayList<>(claims.size());
    for (S3Keys.ParsedKey claim : claims) {
      readClaim(claim.path(), claim.generation()).map(VersionRecord::info).ifPresent(infos::add);
    }
    return infos;
  }

  Optional<HeadObjectResponse> head(String key) {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** ListObjectsV2, page after page (lazily), from {@code startAfter} (exclusive) on. */
  Iterable<S3Object> listFrom(String prefix, String startAfter) {
    return s3.listObjectsV2Paginator(
            b -> {
              b.bucket(bucket).prefix(prefix).maxKeys(1000);
              if (startAfter != null) {
                b.startAfter(startAfter);
              }
            })
        .contents();
  }

  void delete(String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(key));
  }
}
