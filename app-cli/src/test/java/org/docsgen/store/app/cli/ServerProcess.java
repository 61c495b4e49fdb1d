package org.docsgen.store.app.cli;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.Main;
import org.docsgen.store.app.http.json.Json;

/**
 * The HTTP server as a separate process ({@link Main} on the test classpath, as the server jar runs
 * it, since the shaded jar is built after the tests), bound to 127.0.0.1 on a port of its choosing,
 * with a small real HTTP client for it. {@link #kill()} is {@code kill -9}.
 */
final class ServerProcess implements AutoCloseable {
  static final String WRITER = "writer-token-0123456789";
  static final String READER = "reader-token-0123456789";
  private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private URI base;

  private ServerProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The YAML of a server on 127.0.0.1 with a writer and a reader token and these data paths. */
  static String config(Path artifactRoot, Path manifestDb, Path keyFile) {
    return "server: { host: 127.0.0.1, port: 0 }\n"
        + "auth:\n  tokens:\n"
        + "    - { token: "
        + WRITER
        + ", principal: orchestrator, roles: [writer] }\n"
        + "    - { token: "
        + READER
        + ", principal: rita-reader, roles: [reader] }\n"
        + "artifacts:\n  backend: fs\n  fs: { root: \""
        + artifactRoot
        + "\" }\n"
        + "manifest: { url: \"jdbc:sqlite:"
        + manifestDb
        + "\" }\n"
        + "signing: { keyFile: \""
        + keyFile
        + "\" }\n";
  }

  /** Launches the server on {@code configFile}; {@link #awaitStarted} waits for it. */
  static ServerProcess launch(Path configFile, Path logDir, String name) throws IOException {
    return launch(configFile, logDir, name, List.of());
  }

  /** Launches the server under {@code wrapper} (e.g. {@code strace … --}). */
  static ServerProcess launch(Path configFile, Path logDir, String name, List<String> wrapper)
      throws IOException {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("--config");
    command.add(configFile.toString());
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(logDir.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("DOCSGEN_"));
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return new ServerProcess(builder.start(), out, err);
  }

  /** Waits until the server prints its URL; fails with its output when it exits instead. */
  ServerProcess awaitStarted() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Matcher m = URL.matcher(Files.readString(stdout, StandardCharsets.UTF_8));
      if (m.find()) {
        base = URI.create(m.group(1));
        return this;
      }
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        fail(
            "the server exited with status "
                + process.exitValue()
                + " instead of starting:\n"
                + output());
      }
    }
    process.destroyForcibly();
    return fail("the server did not start within 120 s:\n" + output());
  }

  String output() throws IOException {
    return "--- stdout\n"
        + Files.readString(stdout, StandardCharsets.UTF_8)
        + "--- stderr\n"
        + Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** {@code kill -9}: the process gets no chance to flush or close anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      fail("the server did not die after SIGKILL");
    }
  }

  /** A clean stop (SIGTERM, the shutdown hook closes the stores). */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  Response send(String method, String path, String token, byte[] body, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response =
          CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response postJson(String path, String token, Object json) {
    try {
      return send(
          "POST",
          path,
          token,
          json == null ? null : Json.mapper().writeValueAsBytes(json),
          "Content-Type",
          "application/json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Response expect(Response response, int status) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + " but got " + response);
    }
    return response;
  }

  String createRun() {
    return expect(postJson("/api/runs", WRITER, Map.of("coreFiles", List.of("docsgen.md"))), 201)
        .json()
        .path("runId")
        .asText();
  }

  void startExecution(String runId, String stage) {
    expect(postJson("/api/runs/" + runId + "/stages/" + stage + "/executions", WRITER, null), 201);
  }

  Response put(String path, byte[] body, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "X-Artifact-Type";
    all[1] = "DOCUMENTATION";
    all[2] = "Content-Type";
    all[3] = "text/markdown; charset=utf-8";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return send("PUT", "/api/artifacts/" + path, WRITER, body, all);
  }

  String overwriteToken(String runId, String path) {
    return expect(
            postJson("/api/runs/" + runId + "/overwrite-tokens", WRITER, Map.of("path", path)), 200)
        .json()
        .path("token")
        .asText();
  }
}
