package org.docsgen.store.adapters.s3;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The start-up probe, run with one client configuration: a fresh probe key is put with {@code
 * If-None-Match: *}, read back and compared, put a second time with the header (which must be
 * refused with 412), and deleted. It answers two questions. Do writes work with this client (the
 * put is accepted and its bytes read back)? Some S3-compatible servers reject the SDK's default
 * checksums: s3proxy answers 400 XAmzContentSHA256Mismatch or 500 to the put and 501 to a read
 * asking for a checksum. And does the endpoint honour conditional puts? Some ignore the header and
 * silently overwrite (s3proxy 2.6.0 did). A sequential probe cannot show that concurrent
 * conditional puts are atomic: AWS S3 promises it, s3proxy does not keep it (see
 * docs/decisions.md).
 */
final class ConditionalWriteProbe {
  /** Statuses that say "not with this request" rather than "endpoint, bucket or key unusable". */
  private static final Set<Integer> REFUSALS = Set.of(400, 405, 411, 500, 501);

  private ConditionalWriteProbe() {}

  /** How the endpoint answered one conditional put of the probe key. */
  enum Answer {
    ACCEPTED,
    PRECONDITION_FAILED,
    /** Refused as unsupported or malformed (400, 405, 411, 500, 501). */
    REJECTED
  }

  /**
   * The probe's verdict and the reason an operator reads. {@code writesWork}: the first put was
   * accepted and read back intact. {@code honoured}: the endpoint refuses a second conditional put.
   */
  record Result(boolean writesWork, boolean honoured, String detail) {}

  /**
   * The conditional-put decision, separate from I/O so every combination of answers can be checked.
   * {@code rejection} describes a {@code REJECTED} answer (e.g. "HTTP 501 NotImplemented").
   */
  static Result decide(Answer first, Answer second, String rejection) {
    if (first != Answer.ACCEPTED) {
      return new Result(
          false,
          false,
          "the endpoint did not accept a conditional put of a fresh probe key ("
              + (first == Answer.REJECTED ? rejection : "412 for a key that did not exist")
              + ")");
    }
    return switch (second) {
      case PRECONDITION_FAILED ->
          new Result(true, true, "the endpoint refuses a second If-None-Match: * put with 412");
      case ACCEPTED ->
          new Result(
              true,
              false,
              "the endpoint ignores If-None-Match: * (a second conditional put of the same key"
                  + " succeeded and overwrote it)");
      case REJECTED ->
          new Result(
              true,
              false,
              "the endpoint does not support If-None-Match: * on PUT (" + rejection + ")");
    };
  }

  /**
   * Runs the probe against {@code bucket}. Failures that say nothing about this client's requests
   * (endpoint unreachable, bucket missing, access denied, 503) propagate as {@link SdkException}
   * for the caller to translate.
   */
  static Result run(S3Client s3, String bucket, String probeKey) {
    byte[] body = "docsgen start-up probe".getBytes(UTF_8);
    try {
      try {
        put(s3, bucket, probeKey, body);
      } catch (S3Exception e) {
        if (S3Failures.isConditionFailed(e)) {
          return decide(Answer.PRECONDITION_FAILED, Answer.PRECONDITION_FAILED, "");
        }
        if (!REFUSALS.contains(e.statusCode())) {
          throw e;
        }
        return refused("the endpoint refused the probe's put", e);
      }
      try {
        byte[] back = s3.getObjectAsBytes(b -> b.bucket(bucket).key(probeKey)).asByteArray();
        if (!Arrays.equals(back, body)) {
          return new Result(false, false, "the probe's put read back different bytes");
        }
      } catch (S3Exception e) {
        if (!REFUSALS.contains(e.statusCode())) {
          throw e;
        }
        return refused("the endpoint refused to read the probe's put back", e);
      }
      StringBuilder rejection = new StringBuilder();
      Answer second = secondPut(s3, bucket, probeKey, body, rejection);
      return decide(Answer.ACCEPTED, second, rejection.toString());
    } finally {
      try {
        s3.deleteObject(b -> b.bucket(bucket).key(probeKey));
      } catch (SdkException ignored) {
        // a leftover probe object under .docsgen/probe/ is harmless
      }
    }
  }

  /**
   * A write round trip of the probe key (put, read back, delete) without the conditional-put
   * questions: how {@code health()} checks, after writes failed, that they work again.
   */
  static Result roundTrip(S3Client s3, String bucket, String probeKey) {
    byte[] body = "docsgen health probe".getBytes(UTF_8);
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(probeKey).contentType("text/plain"),
          RequestBody.fromBytes(body));
      byte[] back = s3.getObjectAsBytes(b -> b.bucket(bucket).key(probeKey)).asByteArray();
      return Arrays.equals(back, body)
          ? new Result(true, true, "a probe write round trip succeeded")
          : new Result(false, false, "a probe write read back different bytes");
    } finally {
      try {
        s3.deleteObject(b -> b.bucket(bucket).key(probeKey));
      } catch (SdkException ignored) {
        // harmless, as above
      }
    }
  }

  private static Result refused(String what, S3Exception e) {
    return new Result(false, false, what + " (" + describe(e) + ")");
  }

  static String describe(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return "HTTP " + e.statusCode() + (code == null || code.isBlank() ? "" : " " + code);
  }

  private static void put(S3Client s3, String bucket, String key, byte[] body) {
    s3.putObject(
        b -> ConditionalPuts.createOnly(b, bucket, key).contentType("text/plain"),
        RequestBody.fromBytes(body));
  }

  private static Answer secondPut(
      S3Client s3, String bucket, String key, byte[] body, StringBuilder rejection) {
    try {
      put(s3, bucket, key, body);
      return Answer.ACCEPTED;
    } catch (S3Exception e) {
      if (S3Failures.isConditionFailed(e)) {
        return Answer.PRECONDITION_FAILED;
      }
      if (!REFUSALS.contains(e.statusCode())) {
        throw e;
      }
      rejection.append(describe(e));
      return Answer.REJECTED;
    }
  }
}
