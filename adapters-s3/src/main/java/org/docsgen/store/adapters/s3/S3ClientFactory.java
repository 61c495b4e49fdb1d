package org.docsgen.store.adapters.s3;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the SDK client from {@link S3Settings}: explicit timeouts and retries, never defaults. */
final class S3ClientFactory {
  private S3ClientFactory() {}

  /**
   * A client for {@code settings}; {@code checksumsWhenRequired} is the checksum mode to use (the
   * setting's, or the one the start-up probe chose when the setting is unset).
   */
  static S3Client create(S3Settings settings, boolean checksumsWhenRequired) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.callTimeout()))
            .overrideConfiguration(
                c ->
                    c.retryStrategy(retryStrategy(settings.maxAttempts()))
                        .apiCallAttemptTimeout(settings.callTimeout())
                        .apiCallTimeout(
                            settings
                                .callTimeout()
                                .multipliedBy(settings.maxAttempts())
                                .plus(Duration.ofSeconds(30))));
    if (!settings.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(settings.endpoint()));
    }
    if (checksumsWhenRequired) {
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder.build();
  }

  /**
   * The one place that decides retries of S3 calls (nothing in the store retries by hand): the
   * SDK's standard strategy (throttling, 5xx and I/O errors), plus AWS's 409 for a concurrent
   * conditional write ({@link S3Failures#isConditionalConflict}); never another 4xx such as 412 or
   * 501. Bounded exponential backoff with jitter. The circuit breaker is off so that, after an
   * outage, the first calls get their retries again instead of failing fast.
   */
  static RetryStrategy retryStrategy(int maxAttempts) {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .retryOnException(
            failure -> failure instanceof SdkException e && S3Failures.isConditionalConflict(e))
        .maxAttempts(maxAttempts)
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(20)))
        .circuitBreakerEnabled(false)
        .build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.hasStaticCredentials()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
