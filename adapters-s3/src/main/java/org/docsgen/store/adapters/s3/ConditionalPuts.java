package org.docsgen.store.adapters.s3;

import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.ports.error.AlreadyExistsException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.guard.StoreGuard;
import org.docsgen.store.ports.out.WriteRequest;
import org.docsgen.store.ports.out.WriteResult;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Conditional puts ({@code If-None-Match: *}): how every one is sent, and the claim of a generation
 * built on them.
 *
 * <p>How they are sent. A server may refuse a conditional put (412) before it reads the body, which
 * the SDK announced with {@code Expect: 100-continue} and so never sent. The server cannot know
 * whether the body is still coming, so it closes the connection after the answer; Jetty (s3proxy)
 * does so without a {@code Connection: close} header. The SDK's Apache client then returns the dead
 * connection to its pool, and the next request that leases it fails with "Broken pipe" or "failed
 * to respond". In a race of many writers every loser leaves one such connection behind, so retries
 * keep landing on dead ones. Asking for {@code Connection: close} ourselves makes the client drop
 * the connection after the answer: one new connection per conditional put, instead of poisoned pool
 * entries.
 *
 * <p>The claim. A small claim object per generation, created with a conditional put, says which
 * candidate's bytes are that generation; it is read back, because on an endpoint whose conditional
 * puts are not atomic another writer may have replaced it, and then this write lost.
 */
final class ConditionalPuts {
  private final S3Client s3;
  private final String bucket;
  private final S3Keys keys;
  private final S3Objects objects;

  ConditionalPuts(S3Client s3, String bucket, S3Keys keys, S3Objects objects) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keys = keys;
    this.objects = objects;
  }

  /** A create-only put of {@code key}: {@code If-None-Match: *} on a connection used once. */
  static PutObjectRequest.Builder createOnly(
      PutObjectRequest.Builder put, String bucket, String key) {
    return put.bucket(bucket)
        .key(key)
        .ifNoneMatch("*")
        .overrideConfiguration(o -> o.putHeader("Connection", "close"));
  }

  /**
   * Claims the generation with a conditional put. The claim is read back: on an endpoint whose
   * conditional puts are not atomic another writer may have replaced it, and then this write lost.
   */
  WriteResult claim(WriteRequest request, VersionRecord mine) {
    ArtifactInfo info = mine.info();
    String claimKey = keys.claimKey(info.path(), info.generation());
    String doing = "claiming " + info.path() + " generation " + info.generation();
    try {
      putClaimOrLearnTheWinner(claimKey, mine);
      VersionRecord winner =
          objects
              .readClaim(info.path(), info.generation())
              .orElseThrow(
                  () ->
                      new BackendUnavailableException(
                          S3Failures.BACKEND,
                          doing + ": the claim vanished right after it was written",
                          null));
      if (winner.writer().equals(mine.writer())) {
        return new WriteResult(
            info,
            info.generation() == 1 ? WriteResult.Outcome.CREATED : WriteResult.Outcome.OVERWRITTEN);
      }
      if (request.createOnly()) {
        throw new AlreadyExistsException(info.path(), winner.info().hash());
      }
      if (winner.info().hash().equals(info.hash())) {
        return new WriteResult(winner.info(), WriteResult.Outcome.UNCHANGED);
      }
      throw StoreGuard.lostRace(winner.info());
    } catch (SdkException e) {
      throw S3Failures.translate(doing, e);
    }
  }

  /**
   * Puts the claim. Retries are the client's ({@link S3ClientFactory#retryStrategy}): I/O errors,
   * 5xx and AWS's 409 for concurrent conditional writes. Retrying a conditional put is safe, it
   * never replaces a claim: if an earlier attempt took effect, the retry is answered 412 and the
   * read-back says whose claim it is. When the client gives up on a client-side failure (s3proxy
   * resets some connections of losing conditional puts under load; an answer can be lost on a real
   * network) the put may still have taken effect, so one look at the claim decides: a claim that
   * exists ends the attempt (the read-back decides), none is the put's failure. Nothing is retried
   * here.
   */
  private void putClaimOrLearnTheWinner(String claimKey, VersionRecord mine) {
    try {
      putClaim(claimKey, mine);
    } catch (SdkClientException e) {
      if (!claimVisible(mine)) {
        throw e;
      }
    }
  }

  /**
   * Whether a claim for {@code mine}'s generation can be read now. A client-side failure of the
   * read itself counts as "not known", and the put's failure is reported.
   */
  private boolean claimVisible(VersionRecord mine) {
    try {
      return objects.readClaim(mine.info().path(), mine.info().generation()).isPresent();
    } catch (SdkClientException e) {
      return false;
    }
  }

  /** Puts the claim unless one exists (412). */
  private void putClaim(String claimKey, VersionRecord mine) {
    try {
      s3.putObject(
          b -> createOnly(b, bucket, claimKey).contentType("text/plain; charset=utf-8"),
          RequestBody.fromBytes(mine.toClaimBody()));
    } catch (SdkException e) {
      if (!S3Failures.isConditionFailed(e)) {
        throw e;
      }
    }
  }
}
