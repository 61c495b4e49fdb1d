package org.docsgen.store.adapters.s3;

import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * How every conditional put ({@code If-None-Match: *}) is sent.
 *
 * <p>A server may refuse a conditional put (412) before it reads the body, which the SDK announced
 * with {@code Expect: 100-continue} and so never sent. The server cannot know whether the body is
 * still coming, so it closes the connection after the answer; Jetty (s3proxy) does so without a
 * {@code Connection: close} header. The SDK's Apache client then returns the dead connection to its
 * pool, and the next request that leases it fails with "Broken pipe" or "failed to respond". In a
 * race of many writers every loser leaves one such connection behind, so retries keep landing on
 * dead ones. Asking for {@code Connection: close} ourselves makes the client drop the connection
 * after the answer: one new connection per conditional put, instead of poisoned pool entries.
 */
final class ConditionalPuts {
  private ConditionalPuts() {}

  /** A create-only put of {@code key}: {@code If-None-Match: *} on a connection used once. */
  static PutObjectRequest.Builder createOnly(
      PutObjectRequest.Builder put, String bucket, String key) {
    return put.bucket(bucket)
        .key(key)
        .ifNoneMatch("*")
        .overrideConfiguration(o -> o.putHeader("Connection", "close"));
  }
}
