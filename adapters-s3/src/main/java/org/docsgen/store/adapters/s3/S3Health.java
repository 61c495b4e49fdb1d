package org.docsgen.store.adapters.s3;

import org.docsgen.store.ports.out.StoreHealth;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The store's health: UP when the bucket answers and writes work. The start-up probe wrote and read
 * back; after that, a write that failed for a backend reason makes {@link #check} try a probe write
 * round trip of its own until one (or a write) succeeds again. A refused write (guard, policy,
 * size) is not a failure of the backend.
 */
final class S3Health {
  private final S3Client s3;
  private final S3Settings settings;
  private final S3Keys keys;
  private final ConditionalWriteProbe.Result probe;
  private final String checksums;

  /** Why the latest write failed for a backend reason; {@code null} once a write succeeded. */
  private volatile String writeFailure;

  S3Health(
      S3Client s3,
      S3Settings settings,
      S3Keys keys,
      ConditionalWriteProbe.Result probe,
      String checksums) {
    this.s3 = s3;
    this.settings = settings;
    this.keys = keys;
    this.probe = probe;
    this.checksums = checksums;
  }

  void writeSucceeded() {
    writeFailure = null;
  }

  void writeFailed(String reason) {
    writeFailure = reason;
  }

  StoreHealth check() {
    boolean guarded = probe.honoured();
    String where = settings.where();
    try {
      s3.headBucket(b -> b.bucket(settings.bucket()));
      String failure = writeFailure;
      if (failure != null) {
        ConditionalWriteProbe.Result trip =
            ConditionalWriteProbe.roundTrip(s3, settings.bucket(), keys.newProbeKey());
        if (!trip.writesWork()) {
          return new StoreHealth(S3Failures.BACKEND, false, guarded, where + ": " + trip.detail());
        }
        writeFailure = null;
      }
      return new StoreHealth(
          S3Failures.BACKEND,
          true,
          guarded,
          where
              + "; "
              + checksums
              + "; "
              + (guarded
                  ? probe.detail()
                  : "UNGUARDED: " + probe.detail() + " (requireConditionalWrites=false)"));
    } catch (RuntimeException e) {
      String reason =
          e instanceof SdkException sdk
              ? S3Failures.translate("checking " + where, sdk).getMessage()
              : e.toString();
      return new StoreHealth(S3Failures.BACKEND, false, guarded, reason);
    }
  }
}
