package org.docsgen.store.app.http.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams one large artifact up and down through a running server and checks the bytes came back
 * identical. Not a test: run by {@code app-http/bench/large-artifact.sh} against a server started
 * with a small heap. JDK classes only, so it runs with the source launcher:
 *
 * <pre>java app-http/src/test/java/org/docsgen/store/app/http/bench/LargeArtifactRun.java \
 *     http://127.0.0.1:7070 TOKEN 1073741824</pre>
 */
public final class LargeArtifactRun {
  private static final int CHUNK = 1 << 20;

  private LargeArtifactRun() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String token = args[1];
    long size = args.length > 2 ? Long.parseLong(args[2]) : 1L << 30;
    HttpClient client = HttpClient.newHttpClient();

    String runId =
        field(
            send(client, post(base, "/api/runs", token, "{\"coreFiles\":[\"docsgen.md\"]}")),
            "runId");
    send(client, post(base, "/api/runs/" + runId + "/stages/phase1/executions", token, null));
    URI artifact = base.resolve("/api/artifacts/" + runId + "/phase1/large.bin");

    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    long t0 = System.nanoTime();
    HttpRequest put =
        HttpRequest.newBuilder(artifact)
            .header("Authorization", "Bearer " + token)
            .header("X-Artifact-Type", "OTHER")
            .header("Content-Type", "application/octet-stream")
            .PUT(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern64(size, sent)),
                    size))
            .build();
    HttpResponse<String> putResponse = client.send(put, HttpResponse.BodyHandlers.ofString());
    double up = seconds(t0);
    if (putResponse.statusCode() != 201) {
      throw new IllegalStateException(
          "PUT answered " + putResponse.statusCode() + ": " + putResponse.body());
    }
    String expected = "sha256:" + HexFormat.of().formatHex(sent.digest());
    String stored = field(putResponse.body(), "hash");

    long t1 = System.nanoTime();
    HttpResponse<InputStream> get =
        client.send(
            HttpRequest.newBuilder(artifact).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long count = 0;
    try (InputStream in = get.body()) {
      byte[] buffer = new byte[CHUNK];
      for (int n; (n = in.read(buffer)) > 0; ) {
        received.update(buffer, 0, n);
        count += n;
      }
    }
    double down = seconds(t1);
    String back = "sha256:" + HexFormat.of().formatHex(received.digest());
    double mib = size / (1024.0 * 1024.0);
    System.out.printf(
        Locale.ROOT,
        "size=%d bytes%nPUT  %d in %.1f s (%.0f MiB/s)%nGET  %d in %.1f s (%.0f MiB/s), %d bytes%n"
            + "sent=%s%nstored=%s%nread=%s%nidentical=%s%n",
        size,
        putResponse.statusCode(),
        up,
        mib / up,
        get.statusCode(),
        down,
        mib / down,
        count,
        expected,
        stored,
        back,
        expected.equals(stored) && expected.equals(back) && count == size);
    if (!expected.equals(back) || !expected.equals(stored) || count != size) {
      System.exit(1);
    }
  }

  private static HttpRequest post(URI base, String path, String token, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
    return json == null
        ? b.POST(HttpRequest.BodyPublishers.noBody()).build()
        : b.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
  }

  private static String send(HttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          request.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** {@code size} bytes of an xorshift pattern, generated (and hashed) as they are read. */
  private static final class Pattern64 extends InputStream {
    private final long size;
    private final MessageDigest digest;
    private long produced;
    private long state = 0x9E3779B97F4A7C15L;

    Pattern64(long size, MessageDigest digest) {
      this.size = size;
      this.digest = digest;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (produced >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - produced);
      for (int i = 0; i < n; i++) {
        if ((produced + i) % 8 == 0) {
          state ^= state << 13;
          state ^= state >>> 7;
          state ^= state << 17;
        }
        b[off + i] = (byte) (state >>> (8 * ((produced + i) % 8)));
      }
      digest.update(b, off, n);
      produced += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      OutputStream.nullOutputStream().close();
    }
  }
}
