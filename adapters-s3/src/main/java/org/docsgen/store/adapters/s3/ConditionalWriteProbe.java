package org.docsgen.store.adapters.s3;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks at start-up, sequentially, that the endpoint honours {@code If-None-Match: *} on PUT: a
 * fresh probe key is put twice with the header and the second put must be refused with 412. Some
 * S3-compatible servers ignore the header and silently overwrite (s3proxy 2.6.0 did). A sequential
 * probe cannot show that concurrent conditional puts are atomic: AWS S3 promises it, s3proxy does
 * not keep it (see docs/decisions.md).
 */
final class ConditionalWriteProbe {
  private ConditionalWriteProbe() {}

  /** How the endpoint answered one conditional put of the probe key. */
  enum Answer {
    ACCEPTED,
    PRECONDITION_FAILED,
    /** Refused as unsupported or malformed (400, 405, 501). */
    REJECTED
  }

  /** The probe's verdict and the reason an operator reads. */
  record Result(boolean honoured, String detail) {}

  /**
   * The decision, separate from I/O so every combination of answers can be checked. {@code
   * rejection} describes a {@code REJECTED} answer (e.g. "HTTP 501 NotImplemented").
   */
  static Result decide(Answer first, Answer second, String rejection) {
    if (first != Answer.ACCEPTED) {
      return new Result(
          false,
          "the endpoint did not accept a conditional put of a fresh probe key ("
              + (first == Answer.REJECTED ? rejection : "412 for a key that did not exist")
              + ")");
    }
    return switch (second) {
      case PRECONDITION_FAILED ->
          new Result(true, "the endpoint refuses a second If-None-Match: * put with 412");
      case ACCEPTED ->
          new Result(
              false,
              "the endpoint ignores If-None-Match: * (a second conditional put of the same key"
                  + " succeeded and overwrote it)");
      case REJECTED ->
          new Result(
              false, "the endpoint does not support If-None-Match: * on PUT (" + rejection + ")");
    };
  }

  /**
   * Runs the probe against {@code bucket}. Failures that say nothing about conditional puts
   * (endpoint down, bucket missing, access denied, 5xx) propagate as {@link SdkException} for the
   * caller to translate.
   */
  static Result run(S3Client s3, String bucket, String probeKey) {
    StringBuilder rejection = new StringBuilder();
    Answer first = put(s3, bucket, probeKey, "first", rejection);
    Answer second =
        first == Answer.ACCEPTED ? put(s3, bucket, probeKey, "second", rejection) : first;
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(probeKey));
    } catch (SdkException ignored) {
      // a leftover probe object under .docsgen/probe/ is harmless
    }
    return decide(first, second, rejection.toString());
  }

  private static Answer put(
      S3Client s3, String bucket, String key, String which, StringBuilder rejection) {
    try {
      s3.putObject(
          b -> ConditionalPuts.createOnly(b, bucket, key).contentType("text/plain"),
          RequestBody.fromString("docsgen conditional-write probe (" + which + " put)"));
      return Answer.ACCEPTED;
    } catch (S3Exception e) {
      if (S3Failures.isConditionFailed(e)) {
        return Answer.PRECONDITION_FAILED;
      }
      int status = e.statusCode();
      if (status != 400 && status != 405 && status != 501) {
        throw e;
      }
      rejection
          .append("HTTP ")
          .append(status)
          .append(e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorCode());
      return Answer.REJECTED;
    }
  }
}
