package org.docsgen.store.adapters.s3;

import java.util.Map;
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
      if (request.expectedHash() != null && request.range() == null) {
        return openWhole(request);
      }
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

  /**
   * A whole read of an exact version (the manifest's hash; every GET of the API): one GetObject,
   * whose response carries the same docsgen metadata a HeadObject would, instead of a HeadObject
   * and then a GetObject. Not found answers as the HeadObject path does.
   */
  private ArtifactContent openWhole(ReadRequest request) {
    LogicalPath path = request.path();
    int generation = generationOf(request);
    ContentHash expected = request.expectedHash();
    String key = keys.contentKey(path, generation, expected);
    ResponseInputStream<GetObjectResponse> body;
    try {
      body = s3.getObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      if (S3Failures.isNotFound(e)) {
        throw noSuchVersion(path, request.generation(), expected);
      }
      throw e;
    }
    try {
      ArtifactInfo info = described(path, generation, expected, body.response().metadata());
      S3ReadStream stream = new S3ReadStream(body, "reading " + path);
      return new ArtifactContent(info, null, new VerifyingInputStream(stream, info));
    } catch (RuntimeException e) {
      body.abort();
      throw e;
    }
  }

  /** The version a read names: exactly the expected hash when given, else the claimed one. */
  private ArtifactInfo resolve(ReadRequest request) {
    LogicalPath path = request.path();
    int generation = generationOf(request);
    if (request.expectedHash() == null) {
      return objects
          .readClaim(path, generation)
          .map(VersionRecord::info)
          .orElseThrow(
              () -> new NotFoundException("artifact " + path + " has no generation " + generation));
    }
    ContentHash expected = request.expectedHash();
    HeadObjectResponse head =
        objects
            .head(keys.contentKey(path, generation, expected))
            .orElseThrow(() -> noSuchVersion(path, request.generation(), expected));
    return described(path, generation, expected, head.metadata());
  }

  /** The generation a read names; {@link ReadRequest#LATEST}: the latest claimed one. */
  private int generationOf(ReadRequest request) {
    if (request.generation() != ReadRequest.LATEST) {
      return request.generation();
    }
    LogicalPath path = request.path();
    return objects
        .latestClaimedGeneration(path)
        .orElseThrow(() -> new NotFoundException("artifact " + path + " does not exist"));
  }

  private static NotFoundException noSuchVersion(
      LogicalPath path, int requestedGeneration, ContentHash expected) {
    return new NotFoundException(
        "artifact "
            + path
            + " has no generation "
            + requestedGeneration
            + " with hash "
            + expected);
  }

  /**
   * The version a content object's docsgen metadata describes, with the caller's hash and the
   * generation its key names: the bytes are verified against the caller's (the manifest's) hash and
   * the generation the key names, never against what the object's own metadata claims: whoever can
   * replace the bytes of an object can replace its metadata too.
   */
  private static ArtifactInfo described(
      LogicalPath path, int generation, ContentHash expected, Map<String, String> metadata) {
    ArtifactInfo described = VersionRecord.fromMetadata(path, metadata).info();
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
