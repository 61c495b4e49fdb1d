package org.docsgen.store.app.cli.reliability.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * s3proxy 3.0.0 as a process of its own (its jar-with-dependencies, copied into {@code target/it/}
 * by the build), jclouds {@code filesystem} backend under a directory of the test's, AWS v2/v4
 * authentication with {@link #ACCESS_KEY}/{@link #SECRET_KEY}, on a fixed port: {@link #stop()} and
 * {@link #start()} bring it down and back on the same port over the same data (an outage).
 */
public final class S3proxyProcess implements AutoCloseable {
  public static final String ACCESS_KEY = "reliability-access";
  public static final String SECRET_KEY = "reliability-secret";

  private final Path dir;
  private final int port;
  private Process process;

  private S3proxyProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts s3proxy over {@code dir} with the given buckets created. */
  public static S3proxyProcess start(Path dir, String... buckets) throws Exception {
    Path data = Files.createDirectories(dir.resolve("s3data"));
    for (String bucket : buckets) {
      Files.createDirectories(data.resolve(bucket)); // a bucket is a folder to jclouds filesystem
    }
    S3proxyProcess s3 = new S3proxyProcess(dir, Processes.freePort());
    s3.start();
    return s3;
  }

  /** (Re)starts the process on the same port and data. */
  public void start() throws Exception {
    Path jar = Processes.requiredJar("docsgen.s3proxyJar");
    Path properties =
        Files.writeString(
            dir.resolve("s3proxy.conf"),
            "s3proxy.endpoint=http://127.0.0.1:"
                + port
                + "\ns3proxy.authorization=aws-v2-or-v4\ns3proxy.identity="
                + ACCESS_KEY
                + "\ns3proxy.credential="
                + SECRET_KEY
                + "\njclouds.provider=filesystem\njclouds.filesystem.basedir="
                + dir.resolve("s3data")
                + "\n");
    Path log = dir.resolve("s3proxy.log");
    process =
        Processes.start(
            List.of(
                Processes.java(),
                "-Xmx256m",
                "-jar",
                jar.toString(),
                "--properties",
                properties.toString()),
            dir,
            Map.of(),
            log);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Processes.accepts(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("s3proxy did not start:\n" + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  /** Stops the process (SIGKILL: an endpoint that vanishes) and waits until the port is closed. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The environment a docsgen process needs to sign its requests to this endpoint. */
  public Map<String, String> credentials() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
        "AWS_EC2_METADATA_DISABLED", "true");
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  @Override
  public String toString() {
    return "s3proxy at " + endpoint() + " over " + dir;
  }

  /** The directory under which a bucket's objects are files (for tamper tests). */
  public Path bucketDirectory(String bucket) throws IOException {
    return dir.resolve("s3data").resolve(bucket);
  }
}
