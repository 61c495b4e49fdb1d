package org.docsgen.store.adapters.s3.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.docsgen.store.adapters.s3.S3Settings;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real, in-process s3proxy 3.0.0 server for tests: jclouds {@code filesystem} backend in a
 * directory of its own under {@code java.io.tmpdir} (surefire points it into {@code target/}),
 * bound to 127.0.0.1 on a random free port, AWS v2/v4 authentication with {@link #ACCESS_KEY} /
 * {@link #SECRET_KEY}. {@link #stop()} and {@link #start()} restart it on the same port over the
 * same directory (what was stored survives). {@link #newBucket()} gives each test a bucket.
 *
 * <p>{@link #startIgnoringConditionalWrites()} puts a relay in front that drops {@code
 * If-None-Match} request headers, so the endpoint behaves like an S3-compatible server that ignores
 * conditional puts (as s3proxy 2.6.0 did); s3proxy then runs without authentication because the
 * relay alters signed headers.
 *
 * <p>Use {@link #startForTests()}: when the server cannot start the test is skipped with the
 * reason, except when the environment has {@code CI=true}, where it fails.
 */
public final class S3ServerFixture implements AutoCloseable {
  public static final String ACCESS_KEY = "docsgen-test-access";
  public static final String SECRET_KEY = "docsgen-test-secret";
  public static final String REGION = "us-east-1";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final Path basedir;
  private final boolean ignoreConditionalWrites;
  private final boolean authenticate;
  private int port;
  private BlobStoreContext context;
  private S3Proxy proxy;
  private ConditionStrippingRelay relay;
  private S3Client raw;

  private S3ServerFixture(Path basedir, boolean ignoreConditionalWrites, boolean authenticate) {
    this.basedir = basedir;
    this.ignoreConditionalWrites = ignoreConditionalWrites;
    this.authenticate = authenticate && !ignoreConditionalWrites;
  }

  /** Starts a server, or skips the calling test (fails it when {@code CI=true}). */
  public static S3ServerFixture startForTests() {
    return startOrSkip(false, true);
  }

  /** Like {@link #startForTests()}, behind a relay that drops {@code If-None-Match}. */
  public static S3ServerFixture startIgnoringConditionalWritesForTests() {
    return startOrSkip(true, false);
  }

  /** Like {@link #startForTests()}, with s3proxy's {@code authorization=none}. */
  public static S3ServerFixture startWithoutAuthenticationForTests() {
    return startOrSkip(false, false);
  }

  /** Starts a server; throws when it cannot. */
  public static S3ServerFixture startServer() throws Exception {
    return startServer(false, true);
  }

  public static S3ServerFixture startIgnoringConditionalWrites() throws Exception {
    return startServer(true, false);
  }

  private static S3ServerFixture startServer(boolean ignoreConditionalWrites, boolean authenticate)
      throws Exception {
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "s3proxy-" + UUID.randomUUID());
    Files.createDirectories(base);
    S3ServerFixture fixture = new S3ServerFixture(base, ignoreConditionalWrites, authenticate);
    fixture.start();
    return fixture;
  }

  private static S3ServerFixture startOrSkip(
      boolean ignoreConditionalWrites, boolean authenticate) {
    try {
      return startServer(ignoreConditionalWrites, authenticate);
    } catch (Exception | LinkageError e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true and the s3proxy test server did not start", e);
      }
      Assumptions.abort("the s3proxy test server did not start: " + e);
      throw new AssertionError("unreachable", e);
    }
  }

  /** (Re)starts the server; after {@link #stop()} it comes back on the same port and directory. */
  public synchronized void start() throws Exception {
    if (proxy != null) {
      return;
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", basedir.toString());
    context =
        ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
    S3Proxy server =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(
                authenticate ? AuthenticationType.AWS_V2_OR_V4 : AuthenticationType.NONE,
                ACCESS_KEY,
                SECRET_KEY)
            .build();
    server.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"STARTED".equals(server.getState())) {
      if ("FAILED".equals(server.getState()) || System.nanoTime() > deadline) {
        server.stop();
        context.close();
        throw new IllegalStateException("s3proxy did not start: state " + server.getState());
      }
      Thread.sleep(10);
    }
    proxy = server;
    port = server.getPort();
    if (ignoreConditionalWrites && relay == null) {
      relay = new ConditionStrippingRelay(port);
    }
  }

  /** Stops the server (connections are refused until {@link #start()}); the data stays. */
  public synchronized void stop() throws Exception {
    if (proxy == null) {
      return;
    }
    try {
      proxy.stop();
    } finally {
      proxy = null;
      context.close();
      context = null;
    }
  }

  /** Stops and starts again: same port, same directory. */
  public void restart() throws Exception {
    stop();
    start();
  }

  /** The endpoint clients use (the relay's when conditional writes are ignored). */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + (relay != null ? relay.port() : port));
  }

  /** The directory the filesystem backend keeps its buckets in. */
  public Path basedir() {
    return basedir;
  }

  /** Creates a fresh, empty bucket and returns its name. */
  public String newBucket() {
    String name =
        ("docsgen-"
                + BUCKETS.incrementAndGet()
                + "-"
                + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT);
    rawClient().createBucket(b -> b.bucket(name));
    return name;
  }

  /**
   * Settings for the S3 store on {@code bucket}: this endpoint, path-style, the checksum mode left
   * to the start-up probe (as the documented configuration does), static test credentials, short
   * timeouts.
   */
  public S3Settings settings(String bucket) {
    return S3Settings.builder()
        .bucket(bucket)
        .endpoint(endpoint().toString())
        .region(REGION)
        .pathStyle(true)
        .credentials(ACCESS_KEY, SECRET_KEY)
        .connectTimeout(Duration.ofSeconds(2))
        .callTimeout(Duration.ofSeconds(30))
        .maxAttempts(3)
        .build();
  }

  /** A plain SDK client on this server, for assertions made behind the store's back. */
  public synchronized S3Client rawClient() {
    if (raw == null) {
      raw =
          S3Client.builder()
              .endpointOverride(endpoint())
              .region(Region.of(REGION))
              .forcePathStyle(true)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
              .httpClientBuilder(
                  ApacheHttpClient.builder()
                      .connectionTimeout(Duration.ofSeconds(2))
                      .socketTimeout(Duration.ofSeconds(30)))
              .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              .build();
    }
    return raw;
  }

  @Override
  public synchronized void close() throws Exception {
    try {
      if (raw != null) {
        raw.close();
      }
      if (relay != null) {
        relay.close();
      }
      stop();
    } finally {
      deleteTree(basedir);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
