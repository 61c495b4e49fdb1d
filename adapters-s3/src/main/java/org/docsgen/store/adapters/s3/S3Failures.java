package org.docsgen.store.adapters.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.InvalidInputException;
import org.docsgen.store.ports.error.PayloadTooLargeException;
import org.docsgen.store.ports.error.StoreException;
import org.docsgen.store.ports.stream.DigestingInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place where SDK and I/O failures become port exceptions. A failure of the caller's
 * content stream (marked by {@link Spool}) is the caller's bad input, {@link InvalidInputException}
 * of field {@code body}, as on every backend; everything S3 or the local spool does wrong is {@link
 * BackendUnavailableException}. Expected answers that are control flow (404 on a lookup, 412 on a
 * conditional put) are recognised with {@link #isNotFound} and {@link #isConditionFailed} before
 * anything is translated.
 */
final class S3Failures {
  static final String BACKEND = "s3";

  private S3Failures() {}

  /**
   * Translates {@code failure} (an {@link SdkException}, {@link IOException} or {@link
   * UncheckedIOException}) that happened while {@code doing} (e.g. "writing run_…/phase1/a.md").
   */
  static StoreException translate(String doing, Throwable failure) {
    Throwable cause = failure;
    if (cause instanceof UncheckedIOException unchecked) {
      cause = unchecked.getCause();
    }
    if (cause instanceof DigestingInputStream.SizeLimitExceededIOException tooLarge) {
      return new PayloadTooLargeException("the content (" + doing + ")", tooLarge.limit());
    }
    if (cause instanceof Spool.ContentUnreadableException unreadable) {
      // the caller's body broke (a client that went away): bad input, as on every backend, and
      // no sign that S3 is down
      return new InvalidInputException(
          "body", doing + " failed: the content could not be read: " + reason(unreadable));
    }
    if (cause instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      return new BackendUnavailableException(
          BACKEND,
          doing
              + " failed: the S3 endpoint answered HTTP "
              + s3.statusCode()
              + (code == null ? "" : " " + code)
              + hint(s3.statusCode(), code),
          failure);
    }
    if (cause instanceof SdkException) {
      return new BackendUnavailableException(
          BACKEND,
          doing
              + " failed: the S3 endpoint is unreachable; check that it is running and reachable"
              + " (artifacts.s3.endpoint, region, credentials), then retry",
          cause.getMessage(),
          failure);
    }
    if (cause instanceof IOException) {
      // an I/O message may name a local staging file: the log keeps it, the client does not
      return new BackendUnavailableException(
          BACKEND,
          doing + " failed: an I/O error while talking to S3; retry",
          cause.toString(),
          failure);
    }
    if (cause instanceof StoreException storeException) {
      return storeException;
    }
    throw new IllegalArgumentException("not an SDK or I/O failure: " + failure, failure);
  }

  private static String reason(Spool.ContentUnreadableException e) {
    Throwable source = e.getCause() == null ? e : e.getCause();
    return source.getMessage() == null ? source.getClass().getSimpleName() : source.getMessage();
  }

  static boolean isNotFound(SdkException e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 404;
  }

  /** 412 Precondition Failed: the key exists and the put carried {@code If-None-Match: *}. */
  static boolean isConditionFailed(SdkException e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 412;
  }

  /** 409 ConditionalRequestConflict: AWS S3 saw a concurrent conditional write; retry it. */
  static boolean isConditionalConflict(SdkException e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 409;
  }

  private static String hint(int status, String code) {
    if ("NoSuchBucket".equals(code)) {
      return " (the configured bucket does not exist)";
    }
    if (status == 403) {
      return " (check the credentials and the bucket policy)";
    }
    if ("XAmzContentSHA256Mismatch".equals(code) || status == 501) {
      return " (for s3proxy and similar servers set checksumsWhenRequired)";
    }
    return "";
  }
}
