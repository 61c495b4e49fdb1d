package org.docsgen.store.adapters.s3;

import java.util.Optional;
import org.docsgen.store.domain.artifact.ArtifactInfo;
import org.docsgen.store.domain.artifact.LogicalPath;
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
  private static final int CLAIM_CONFLICT_RETRIES = 5;
  private static final int CLAIM_IO_RETRIES = 4;

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
          readClaimPatiently(info.path(), info.generation())
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
   * Puts the claim. When the connection fails before the answer arrives (s3proxy resets some
   * connections of losing conditional puts under load) the request may or may not have taken
   * effect, and a competing claim may not be visible yet. The claim itself says who won, so a claim
   * that exists ends the attempt (the read-back decides); otherwise the conditional put is tried
   * again, which is safe because it never replaces a claim. A server that is really down fails the
   * read-back too, and that is reported.
   */
  private void putClaimOrLearnTheWinner(String claimKey, VersionRecord mine) {
    for (int attempt = 1; ; attempt++) {
      try {
        putClaim(claimKey, mine);
        return;
      } catch (SdkClientException e) {
        if (claimVisible(mine)) {
          return;
        }
        if (attempt >= CLAIM_IO_RETRIES) {
          throw e;
        }
        sleepBriefly(attempt);
      }
    }
  }

  /**
   * Whether a claim for {@code mine}'s generation can be read now. A client-side failure of the
   * read itself (the endpoint just reset many connections, and the pool may hand out one of them)
   * counts as "not known yet", so the caller tries again instead of giving up.
   */
  private boolean claimVisible(VersionRecord mine) {
    try {
      return objects.readClaim(mine.info().path(), mine.info().generation()).isPresent();
    } catch (SdkClientException e) {
      return false;
    }
  }

  /**
   * Reads a claim, retrying client-side I/O failures a few times: right after a burst of refused
   * conditional puts the endpoint may have closed connections the pool still holds.
   */
  private Optional<VersionRecord> readClaimPatiently(LogicalPath path, int generation) {
    for (int attempt = 1; ; attempt++) {
      try {
        return objects.readClaim(path, generation);
      } catch (SdkClientException e) {
        if (attempt >= CLAIM_IO_RETRIES) {
          throw e;
        }
        sleepBriefly(attempt);
      }
    }
  }

  /** Puts the claim unless one exists (412); retries AWS's 409 for concurrent conditional puts. */
  private void putClaim(String claimKey, VersionRecord mine) {
    for (int attempt = 1; ; attempt++) {
      try {
        s3.putObject(
            b -> createOnly(b, bucket, claimKey).contentType("text/plain; charset=utf-8"),
            RequestBody.fromBytes(mine.toClaimBody()));
        return;
      } catch (SdkException e) {
        if (S3Failures.isConditionFailed(e)) {
          return;
        }
        if (!S3Failures.isConditionalConflict(e) || attempt >= CLAIM_CONFLICT_RETRIES) {
          throw e;
        }
        sleepBriefly(attempt);
      }
    }
  }

  private static void sleepBriefly(int attempt) {
    try {
      Thread.sleep(20L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
