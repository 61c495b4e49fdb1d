package org.docsgen.store.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.adapters.s3.testing.S3ServerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A refused conditional put must not leave a dead connection in the client's pool: s3proxy (Jetty)
 * closes the connection after a 412 sent before the body was read, and without {@code Connection:
 * close} the next request on that connection fails. The client here makes one attempt per call, so
 * a poisoned pool shows as an I/O error instead of being hidden by a retry.
 */
class ConditionalPutsTest {
  private static S3ServerFixture server;
  private static String bucket;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    server = S3ServerFixture.startForTests();
    bucket = server.newBucket();
    s3 = S3ClientFactory.create(server.settings(bucket).toBuilder().maxAttempts(1).build(), true);
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyRequestAfterARefusedConditionalPutSucceedsWithoutARetry() {
    String key = "claims/one";
    s3.putObject(b -> ConditionalPuts.createOnly(b, bucket, key), RequestBody.fromString("winner"));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int refused = putAgain(key, "loser " + i);
      try {
        String read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
        if (refused != 412 || !read.equals("winner")) {
          failures.add(i + ": put answered " + refused + ", read " + read);
        }
      } catch (RuntimeException e) {
        failures.add(i + ": the read after a refused put failed: " + e);
      }
    }
    assertThat(failures).isEmpty();
  }

  private int putAgain(String key, String body) {
    try {
      s3.putObject(b -> ConditionalPuts.createOnly(b, bucket, key), RequestBody.fromString(body));
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }
}
