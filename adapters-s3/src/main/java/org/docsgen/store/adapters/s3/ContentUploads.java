package org.docsgen.store.adapters.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The bytes of a write: staged to a local {@link Spool} while they are hashed, then uploaded to the
 * candidate's own content key — one {@code PutObject} up to {@code multipartThresholdBytes},
 * otherwise a multipart upload of {@code partSizeBytes} parts, each streamed from a slice of the
 * spool file. Identical bytes already at the key are not uploaded again; a failed multipart upload
 * is aborted.
 */
final class ContentUploads {
  private final S3Client s3;
  private final S3Settings settings;
  private final S3Keys keys;
  private final S3Objects objects;

  private volatile S3ArtifactStore.WriteSteps steps;

  ContentUploads(S3Client s3, S3Settings settings, S3Keys keys, S3Objects objects) {
    this.s3 = s3;
    this.settings = settings;
    this.keys = keys;
    this.objects = objects;
  }

  /** Sets the test seam ({@code null} = none). */
  void setWriteSteps(S3ArtifactStore.WriteSteps newSteps) {
    this.steps = newSteps;
  }

  /** Copies {@code content} to a spool file while hashing it; refuses it above the size limit. */
  Spool spool(LogicalPath path, InputStream content) {
    try {
      return Spool.fill(content, settings.spoolDirectory(), settings.maxArtifactBytes());
    } catch (IOException e) {
      throw S3Failures.translate("staging " + path, e);
    }
  }

  /** Uploads the candidate's bytes to their own key, unless identical bytes are already there. */
  void store(VersionRecord record, Spool spool) {
    ArtifactInfo info = record.info();
    String key = keys.contentKey(info.path(), info.generation(), info.hash());
    String doing = "writing " + info.path() + " generation " + info.generation();
    try {
      Optional<HeadObjectResponse> existing = objects.head(key);
      if (existing.isPresent()) {
        VersionRecord there = VersionRecord.fromMetadata(info.path(), existing.get().metadata());
        if (there.info().hash().equals(info.hash()) && there.info().size() == info.size()) {
          contentStored(key);
          return;
        }
      }
      if (spool.size() <= settings.multipartThresholdBytes()) {
        putSingle(key, record, spool);
      } else {
        putMultipart(key, record, spool);
      }
      contentStored(key);
    } catch (SdkException | UncheckedIOException e) {
      // UncheckedIOException: the spool file could not be re-read for a part
      throw S3Failures.translate(doing, e);
    }
  }

  private void putSingle(String key, VersionRecord record, Spool spool) {
    try {
      s3.putObject(
          b ->
              ConditionalPuts.createOnly(b, settings.bucket(), key)
                  .contentType(record.info().mediaType())
                  .metadata(record.toMetadata()),
          RequestBody.fromFile(spool.file()));
    } catch (SdkException e) {
      // 412: a concurrent writer stored these very bytes (the key contains their hash)
      if (!S3Failures.isConditionFailed(e)) {
        throw e;
      }
    }
  }

  private void putMultipart(String key, VersionRecord record, Spool spool) {
    String uploadId =
        s3.createMultipartUpload(
                b ->
                    b.bucket(settings.bucket())
                        .key(key)
                        .contentType(record.info().mediaType())
                        .metadata(record.toMetadata()))
            .uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long partSize = settings.partSizeBytes();
      int partNumber = 1;
      for (long offset = 0; offset < spool.size(); offset += partSize, partNumber++) {
        long length = Math.min(partSize, spool.size() - offset);
        long from = offset;
        int number = partNumber;
        String etag =
            s3.uploadPart(
                    b ->
                        b.bucket(settings.bucket())
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(number)
                            .contentLength(length),
                    RequestBody.fromContentProvider(
                        () -> openSlice(spool, from, length), length, "application/octet-stream"))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        partUploaded(number);
      }
      s3.completeMultipartUpload(
          b ->
              b.bucket(settings.bucket())
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(m -> m.parts(parts)));
    } catch (RuntimeException e) {
      abortQuietly(key, uploadId);
      throw e;
    }
  }

  private static InputStream openSlice(Spool spool, long offset, long length) {
    try {
      return spool.slice(offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void abortQuietly(String key, String uploadId) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // an abandoned upload is invisible to readers; a bucket lifecycle rule reaps it
    }
  }

  private void contentStored(String key) {
    S3ArtifactStore.WriteSteps current = steps;
    if (current != null) {
      current.contentStored(key);
    }
  }

  private void partUploaded(int partNumber) {
    S3ArtifactStore.WriteSteps current = steps;
    if (current != null) {
      current.partUploaded(partNumber);
    }
  }
}
