package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server as a user starts it: {@code java -jar app-http/target/docsgen-server.jar} (built at
 * {@code package}; failsafe runs this after it) with exactly the README's {@code artifacts.s3}
 * block — {@code endpoint} and {@code pathStyle}, nothing else — and AWS credentials in the
 * environment, against s3proxy 3.0.0 started as a process of its own from its jar-with-dependencies
 * (copied into {@code target/it/} by the build), once without request authentication and once with
 * {@code aws-v2-or-v4}. s3proxy refuses the AWS SDK's default checksums in both modes, differently;
 * writes, reads, listing, an overwrite, a multipart-sized artifact and a bundle must all work, and
 * {@code /health} must say UP only because they do.
 */
class ServerJarS3IT {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final String IDENTITY = "it-access-key";
  private static final String CREDENTIAL = "it-secret-key";

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest(name = "s3proxy authorization={0}")
  @ValueSource(strings = {"none", "aws-v2-or-v4"})
  void theDocumentedS3BlockAloneWorksForEveryKindOfWrite(String authorization) throws Exception {
    URI s3 = startS3proxy(authorization);
    Api api = new Api(startServer(s3));

    Response health = api.get("/health", null);
    assertThat(health.status()).as(health.toString()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("UP");
    assertThat(health.json().path("artifacts").path("guarded").asBoolean()).isTrue();

    String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.start(WRITER, runId, "phase1");
    String doc = runId + "/phase1/docsgen.md";
    Response created = api.putText(WRITER, doc, "DOCUMENTATION", "# one\n");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(api.get("/api/artifacts/" + doc, READER).text()).isEqualTo("# one\n");
    Api.expect(api.putText(WRITER, doc, "DOCUMENTATION", "# one\n"), 200);

    byte[] large = new byte[17 * 1024 * 1024]; // above the 16 MiB multipart threshold
    new Random(3).nextBytes(large);
    String big = "/api/artifacts/" + runId + "/phase1/large.bin";
    Response bigPut = api.put(big, WRITER, large, "X-Artifact-Type", "OTHER");
    assertThat(bigPut.status()).as(bigPut.toString()).isEqualTo(201);
    assertThat(api.get(big, READER).body()).isEqualTo(large);

    JsonNode listed = api.get("/api/runs/" + runId + "/artifacts?stage=phase1", READER).json();
    assertThat(listed.path("items").findValuesAsText("path"))
        .containsExactly(doc, runId + "/phase1/large.bin");

    Response token =
        api.post("/api/runs/" + runId + "/overwrite-tokens", WRITER, Map.of("path", doc));
    assertThat(token.status()).as(token.toString()).isEqualTo(200);
    Response overwritten =
        api.putText(
            WRITER,
            doc,
            "DOCUMENTATION",
            "# two\n",
            "X-Overwrite-Token",
            token.json().path("token").asText());
    assertThat(overwritten.status()).as(overwritten.toString()).isEqualTo(201);
    assertThat(overwritten.json().path("generation").asInt()).isEqualTo(2);
    assertThat(api.get("/api/artifacts/" + doc, READER).text()).isEqualTo("# two\n");
    assertThat(api.get("/api/artifacts/" + doc + "?generation=1", READER).text())
        .isEqualTo("# one\n");
    api.finish(WRITER, runId, "phase1", 1, "SUCCEEDED");

    api.start(WRITER, runId, "final");
    Api.expect(api.putText(WRITER, runId + "/final/docsgen.md", "DOCUMENTATION", "# final\n"), 201);
    api.finish(WRITER, runId, "final", 1, "SUCCEEDED");
    Response bundle = api.post("/api/runs/" + runId + "/bundle", WRITER, null);
    assertThat(bundle.status()).as(bundle.toString()).isEqualTo(201);
    Response zip = api.get(bundle.header("Location"), READER);
    assertThat(zip.status()).isEqualTo(200);
    assertThat(zipEntries(zip.body())).containsExactly(Map.entry("docsgen.md", "# final\n"));
    JsonNode verified = api.get("/api/runs/" + runId + "/bundle/verify", READER).json();
    assertThat(verified.path("valid").asBoolean()).as(verified.toString()).isTrue();
    assertThat(api.get("/health", null).status()).isEqualTo(200);
  }

  // ---- the two processes

  private URI startS3proxy(String authorization) throws Exception {
    Path jar = requiredFile("docsgen.s3proxyJar");
    int port = freePort();
    Path data = Files.createDirectories(dir.resolve("s3data"));
    Files.createDirectories(data.resolve("docsgen")); // the bucket (jclouds filesystem backend)
    StringBuilder conf =
        new StringBuilder()
            .append("s3proxy.endpoint=http://127.0.0.1:")
            .append(port)
            .append("\ns3proxy.authorization=")
            .append(authorization)
            .append("\njclouds.provider=filesystem\njclouds.filesystem.basedir=")
            .append(data)
            .append('\n');
    if (!authorization.equals("none")) {
      conf.append("s3proxy.identity=")
          .append(IDENTITY)
          .append("\ns3proxy.credential=")
          .append(CREDENTIAL)
          .append('\n');
    }
    Path properties = Files.writeString(dir.resolve("s3proxy.conf"), conf);
    Process process =
        start(
            List.of(
                java(), "-Xmx256m", "-jar", jar.toString(), "--properties", properties.toString()),
            dir,
            Map.of(),
            "s3proxy");
    Duration waited = Duration.ZERO;
    while (!accepts(port)) {
      if (!process.isAlive() || waited.compareTo(Duration.ofSeconds(90)) > 0) {
        throw new AssertionError("s3proxy did not start:\n" + Files.readString(log("s3proxy")));
      }
      Thread.sleep(100);
      waited = waited.plusMillis(100);
    }
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The README's block and nothing else under artifacts.s3; credentials from the environment. */
  private URI startServer(URI s3) throws Exception {
    Path jar = requiredFile("docsgen.serverJar");
    Path home = Files.createDirectories(dir.resolve("server"));
    Files.writeString(
        home.resolve("docsgen.yaml"),
        "server:    { host: 127.0.0.1, port: 0 }\n"
            + TestServer.tokensYaml()
            + "artifacts:\n"
            + "  backend: s3\n"
            + "  s3:      { bucket: docsgen, endpoint: \""
            + s3
            + "\", pathStyle: true }\n");
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", IDENTITY);
    env.put("AWS_SECRET_ACCESS_KEY", CREDENTIAL);
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    Process process =
        start(List.of(java(), "-Xmx512m", "-jar", jar.toString()), home, env, "server");
    Duration waited = Duration.ZERO;
    while (true) {
      Matcher m = LISTENING.matcher(Files.readString(log("server")));
      if (m.find()) {
        return URI.create(m.group(1));
      }
      if (!process.isAlive() || waited.compareTo(Duration.ofSeconds(120)) > 0) {
        throw new AssertionError(
            "docsgen-server.jar did not start:\n" + Files.readString(log("server")));
      }
      Thread.sleep(100);
      waited = waited.plusMillis(100);
    }
  }

  private Process start(List<String> command, Path workDir, Map<String, String> env, String name)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("DOCSGEN_") || k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log(name).toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private static Path requiredFile(String property) {
    String value = System.getProperty(property);
    if (value == null || !Files.isRegularFile(Path.of(value))) {
      throw new AssertionError(
          property
              + " ("
              + value
              + ") is not a file: run this test with `mvn verify`, which builds the jars first");
    }
    return Path.of(value);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, String> zipEntries(byte[] zip) throws IOException {
    Map<String, String> entries = new java.util.LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), new String(in.readAllBytes(), UTF_8));
      }
    }
    return entries;
  }
}
