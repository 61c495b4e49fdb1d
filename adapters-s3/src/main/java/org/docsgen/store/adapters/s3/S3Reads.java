package org.docsgen.store.adapters.s3;

import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.ContentHash;
import org.docsgen.store.domain.artifact.LogicalPath;
import org.docsgen.store.ports.error.IntegrityException;
import org.docsgen.store.ports.error.NotFoundException;
import org.docsgen.store.ports.out.ArtifactContent;
import org.docsgen.store.ports.out.ByteRange;
import org.docsgen.store.ports.out.ReadRequest;
import org.docsgen.store.ports.stream.VerifyingInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Reads: resolves the version a read names (the claimed one, or exactly the expected hash) and
 * streams its content object; a whole read is verified against the hash as it streams.
 */
final class S3Reads {
  private final S3Client s3;
  private final String bucket;
  private final S3Keys keys;
  private final S3Objects objects;

  S3Reads(S3Client s3, String bucket, S3Keys keys, S3Objects objects) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keys = keys;
    this.objects = objects;
  }

  ArtifactContent open(ReadRequest request) {
    LogicalPath path = request.path();
    String doing = "reading " + path;
    try {
      ArtifactInfo info = resolve(request);
      String key = keys.contentKey(path, info.generation(), info.hash());
      ByteRange range = request.range() == null ? null : request.range().clip(info.size());
      ResponseInputStream<GetObjectResponse> body = getContent(key, range, info);
      S3ReadStream stream = new S3ReadStream(body, doing);
      if (range != null) {
        return new ArtifactContent(info, range, stream);
      }
      return new ArtifactContent(info, null, new VerifyingInputStream(stream, info));
    } catch (SdkException e) {
      throw S3Failures.translate(doing, e);
    }
  }

  /** The version a read names: exactly the expected hash when given, else the claimed one. */
  private ArtifactInfo resolve(ReadRequest request) {
    LogicalPath path = request.path();
    int generation = request.generation();
    if (generation == ReadRequest.LATEST) {
      generation =
          objects
              .latestClaimedGeneration(path)
              .orElseThrow(() -> new NotFoundException("artifact " + path + " does not exist"));
    }
    if (request.expectedHash() == null) {
      int wanted = generation;
      return objects
          .readClaim(path, generation)
          .map(VersionRecord::info)
          .orElseThrow(
              () -> new NotFoundException("artifact " + path + " has no generation " + wanted));
    }
    ContentHash expected = request.expectedHash();
    String key = keys.contentKey(path, generation, expected);
    HeadObjectResponse head =
        objects
            .head(key)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "artifact "
                            + path
                            + " has no generation "
                            + request.generation()
                            + " with hash "
                            + expected));
    ArtifactInfo described = VersionRecord.fromMetadata(path, head.metadata()).info();
    // the bytes are verified against the caller's (the manifest's) hash and the generation the key
    // names, never against what the object's own metadata claims: whoever can replace the bytes
    // of an object can replace its metadata too
    return new ArtifactInfo(
        path,
        described.type(),
        expected,
        described.size(),
        described.mediaType(),
        described.createdBy(),
        described.createdAt(),
        generation);
  }

  private ResponseInputStream<GetObjectResponse> getContent(
      String key, ByteRange range, ArtifactInfo info) {
    try {
      return s3.getObject(
          b -> {
            b.bucket(bucket).key(key);
            if (range != null) {
              b.range("bytes=" + range.first() + "-" + range.last());
            }
          });
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        throw new IntegrityException(
            info.path(),
            "generation " + info.generation() + " is claimed but its content object is missing");
      }
      throw e;
    }
  }
}
