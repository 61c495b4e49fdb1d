package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The client's retry strategy is the only place that retries S3 calls (docs/decisions.md,
 * adapters-s3): which failures it retries, and that it stops after {@code maxAttempts}.
 */
class S3RetryStrategyTest {
  private final RetryStrategy strategy = S3ClientFactory.retryStrategy(3);

  @Test
  void transientFailuresAndConcurrentConditionalWritesAreRetried() {
    assertThat(retried(SdkClientException.create("reset", new IOException("Broken pipe"))))
        .isTrue();
    assertThat(retried(answer(503, "SlowDown"))).isTrue();
    assertThat(retried(answer(500, "InternalError"))).isTrue();
    // AWS S3: a concurrent conditional write; was retried by hand around the claim put
    assertThat(retried(answer(409, "ConditionalRequestConflict"))).isTrue();
  }

  @Test
  void answersThatAreControlFlowOrFinalAreNotRetried() {
    assertThat(retried(answer(412, "PreconditionFailed"))).isFalse();
    assertThat(retried(answer(404, "NoSuchKey"))).isFalse();
    assertThat(retried(answer(403, "AccessDenied"))).isFalse();
    assertThat(retried(answer(501, "NotImplemented"))).isFalse();
    assertThat(retried(answer(400, "XAmzContentSHA256Mismatch"))).isFalse();
  }

  @Test
  void itStopsAfterMaxAttempts() {
    RetryToken token =
        strategy.acquireInitialToken(AcquireInitialTokenRequest.create("test")).token();
    S3Exception conflict = answer(409, "ConditionalRequestConflict");
    token = refresh(token, conflict); // attempt 2
    token = refresh(token, conflict); // attempt 3
    RetryToken last = token;
    assertThat(refreshRefused(last, conflict)).isTrue();
  }

  private boolean retried(Throwable failure) {
    RetryToken token =
        strategy.acquireInitialToken(AcquireInitialTokenRequest.create("test")).token();
    return !refreshRefused(token, failure);
  }

  private RetryToken refresh(RetryToken token, Throwable failure) {
    return strategy
        .refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure).build())
        .token();
  }

  private boolean refreshRefused(RetryToken token, Throwable failure) {
    try {
      refresh(token, failure);
      return false;
    } catch (TokenAcquisitionFailedException e) {
      return true;
    }
  }

  private static S3Exception answer(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
            .build();
  }
}
