package org.docsgen.store.adapters.s3;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of the S3 artifact store, made with {@link #builder()} (defaults for everything but
 * the bucket) or derived from other settings with {@link #toBuilder()}.
 *
 * @param bucket the bucket holding the artifacts (must exist)
 * @param prefix key prefix inside the bucket ({@code ""} = bucket root; a trailing {@code /} is
 *     added when missing)
 * @param endpoint endpoint override for S3-compatible servers ({@code ""} = the AWS endpoint of
 *     {@code region})
 * @param region signing region
 * @param pathStyle path-style addressing ({@code http://host/bucket/key}), needed by most
 *     S3-compatible servers
 * @param checksumsWhenRequired send and validate SDK checksums only when an operation requires them
 *     ({@code WHEN_REQUIRED}; s3proxy needs this: 400 XAmzContentSHA256Mismatch, 500 or 501
 *     otherwise), or ({@code false}) with the SDK's defaults; {@code null} = decided by the
 *     start-up probe, which tries the defaults first and falls back to {@code WHEN_REQUIRED} when
 *     the endpoint refuses them. An explicit value is used as given.
 * @param requireConditionalWrites refuse to start when the start-up probe finds that the endpoint
 *     ignores {@code If-None-Match: *}; {@code false} starts anyway, unguarded, and says so in
 *     {@code health()}
 * @param accessKeyId static credentials ({@code null} or empty = the SDK's default chain:
 *     environment, system properties, profile, container/instance role)
 * @param secretAccessKey see {@code accessKeyId}
 * @param multipartThresholdBytes artifacts larger than this are uploaded in parts
 * @param partSizeBytes size of one multipart part (at least 5 MiB, the S3 minimum)
 * @param maxArtifactBytes largest artifact accepted ({@code PayloadTooLargeException} above)
 * @param connectTimeout TCP connect timeout
 * @param callTimeout timeout of one HTTP attempt (also the socket read timeout)
 * @param maxAttempts attempts per call, first try included (SDK standard retry strategy with
 *     exponential backoff for throttling, 5xx and I/O errors)
 * @param spoolDirectory where writes are staged while they are hashed ({@code null} = {@code
 *     java.io.tmpdir}); needs free space for the largest concurrent artifacts
 */
public record S3Settings(
    String bucket,
    String prefix,
    String endpoint,
    String region,
    boolean pathStyle,
    Boolean checksumsWhenRequired,
    boolean requireConditionalWrites,
    String accessKeyId,
    String secretAccessKey,
    long multipartThresholdBytes,
    long partSizeBytes,
    long maxArtifactBytes,
    Duration connectTimeout,
    Duration callTimeout,
    int maxAttempts,
    Path spoolDirectory) {

  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
  public static final long DEFAULT_MULTIPART_THRESHOLD = 16L * 1024 * 1024;
  public static final long DEFAULT_MAX_ARTIFACT_BYTES = 5L * 1024 * 1024 * 1024;

  public S3Settings {
    requireNonNull(bucket, "bucket is null");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("an S3 bucket name is required");
    }
    prefix = prefix == null ? "" : prefix;
    endpoint = endpoint == null ? "" : endpoint.strip();
    region = region == null || region.isBlank() ? "us-east-1" : region.strip();
    requireNonNull(connectTimeout, "connectTimeout is null");
    requireNonNull(callTimeout, "callTimeout is null");
    if (prefix.contains("!") || prefix.startsWith("/")) {
      throw new IllegalArgumentException(
          "the S3 key prefix must not start with '/' nor contain '!', was '" + prefix + "'");
    }
    if (partSizeBytes < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "partSizeBytes must be at least " + MIN_PART_SIZE + " (the S3 minimum part size)");
    }
    if (multipartThresholdBytes < 1 || maxArtifactBytes < 1) {
      throw new IllegalArgumentException(
          "multipartThresholdBytes and maxArtifactBytes must be > 0");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    if (connectTimeout.isNegative()
        || connectTimeout.isZero()
        || callTimeout.isNegative()
        || callTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /**
   * A builder with defaults for everything but the bucket: no prefix, the AWS endpoint of {@code
   * us-east-1}, virtual-host addressing, {@code checksumsWhenRequired} {@code null} (decided by the
   * start-up probe), conditional writes required, credentials from the default chain, 16 MiB
   * multipart threshold, 8 MiB parts, 5 GiB maximum, 5 s connect and 60 s per-attempt timeouts, 3
   * attempts, the spool in {@code java.io.tmpdir}. {@link Builder#build()} validates.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to derive others from them. */
  public Builder toBuilder() {
    return new Builder()
        .bucket(bucket)
        .prefix(prefix)
        .endpoint(endpoint)
        .region(region)
        .pathStyle(pathStyle)
        .checksumsWhenRequired(checksumsWhenRequired)
        .requireConditionalWrites(requireConditionalWrites)
        .credentials(accessKeyId, secretAccessKey)
        .multipartThresholdBytes(multipartThresholdBytes)
        .partSizeBytes(partSizeBytes)
        .maxArtifactBytes(maxArtifactBytes)
        .connectTimeout(connectTimeout)
        .callTimeout(callTimeout)
        .maxAttempts(maxAttempts)
        .spoolDirectory(spoolDirectory);
  }

  /** Builds {@link S3Settings}; each setter names the record component it sets. */
  public static final class Builder {
    private String bucket;
    private String prefix = "";
    private String endpoint = "";
    private String region;
    private boolean pathStyle;
    private Boolean checksumsWhenRequired;
    private boolean requireConditionalWrites = true;
    private String accessKeyId;
    private String secretAccessKey;
    private long multipartThresholdBytes = DEFAULT_MULTIPART_THRESHOLD;
    private long partSizeBytes = DEFAULT_PART_SIZE;
    private long maxArtifactBytes = DEFAULT_MAX_ARTIFACT_BYTES;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration callTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 3;
    private Path spoolDirectory;

    private Builder() {}

    public Builder bucket(String value) {
      this.bucket = value;
      return this;
    }

    public Builder prefix(String value) {
      this.prefix = value;
      return this;
    }

    public Builder endpoint(String value) {
      this.endpoint = value;
      return this;
    }

    public Builder region(String value) {
      this.region = value;
      return this;
    }

    public Builder pathStyle(boolean value) {
      this.pathStyle = value;
      return this;
    }

    /** {@code null} = decided by the start-up probe. */
    public Builder checksumsWhenRequired(Boolean value) {
      this.checksumsWhenRequired = value;
      return this;
    }

    public Builder requireConditionalWrites(boolean value) {
      this.requireConditionalWrites = value;
      return this;
    }

    /** Static credentials ({@code null} or empty = the SDK's default chain). */
    public Builder credentials(String newAccessKeyId, String newSecretAccessKey) {
      this.accessKeyId = newAccessKeyId;
      this.secretAccessKey = newSecretAccessKey;
      return this;
    }

    public Builder multipartThresholdBytes(long value) {
      this.multipartThresholdBytes = value;
      return this;
    }

    public Builder partSizeBytes(long value) {
      this.partSizeBytes = value;
      return this;
    }

    public Builder maxArtifactBytes(long value) {
      this.maxArtifactBytes = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder callTimeout(Duration value) {
      this.callTimeout = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    /** {@code null} = {@code java.io.tmpdir}. */
    public Builder spoolDirectory(Path value) {
      this.spoolDirectory = value;
      return this;
    }

    /**
     * @throws NullPointerException the bucket or a timeout is missing
     * @throws IllegalArgumentException a value is out of range (see {@link S3Settings})
     */
    public S3Settings build() {
      return new S3Settings(
          bucket,
          prefix,
          endpoint,
          region,
          pathStyle,
          checksumsWhenRequired,
          requireConditionalWrites,
          accessKeyId,
          secretAccessKey,
          multipartThresholdBytes,
          partSizeBytes,
          maxArtifactBytes,
          connectTimeout,
          callTimeout,
          maxAttempts,
          spoolDirectory);
    }
  }

  /** Whether static credentials were given (otherwise the SDK's default chain is used). */
  public boolean hasStaticCredentials() {
    return accessKeyId != null
        && !accessKeyId.isEmpty()
        && secretAccessKey != null
        && !secretAccessKey.isEmpty();
  }

  /** The prefix as used in keys: empty, or ending with exactly one {@code /}. */
  String keyRoot() {
    if (prefix.isEmpty()) {
      return "";
    }
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }

  /** Where the store is, as messages name it: the bucket, and the endpoint when one is set. */
  String where() {
    return "bucket " + bucket + (endpoint.isEmpty() ? "" : " at " + endpoint);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "S3Settings[bucket="
        + bucket
        + ", prefix="
        + prefix
        + ", endpoint="
        + (endpoint.isEmpty() ? "(aws)" : endpoint)
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", checksumsWhenRequired="
        + (checksumsWhenRequired == null ? "(probe)" : checksumsWhenRequired)
        + ", requireConditionalWrites="
        + requireConditionalWrites
        + ", credentials="
        + (hasStaticCredentials() ? "static(" + accessKeyId + ")" : "default-chain")
        + ", multipartThresholdBytes="
        + multipartThresholdBytes
        + ", partSizeBytes="
        + partSizeBytes
        + ", maxArtifactBytes="
        + maxArtifactBytes
        + ", connectTimeout="
        + connectTimeout
        + ", callTimeout="
        + callTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", spoolDirectory="
        + spoolDirectory
        + "]";
  }
}
