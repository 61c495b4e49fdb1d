package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.app.http.json.Json;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, case 1, through the real entry point: the server as its own JVM ({@link Main} on the
 * test classpath, since the shaded jar is built after the tests) with a 128 MiB heap, a single-line
 * text of 400 MB (about three times the heap, streamed up from a generator), and {@code
 * ?lines=1-1}: 413 naming {@code server.maxPreviewBytes}, not an OutOfMemoryError; several such
 * requests at once change nothing; a normal preview still answers and the process stays healthy.
 */
class PreviewUnderASmallHeapTest {
  private static final long SIZE = 400_000_000L;
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;
  private Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void aPreviewOfAHugeSingleLineIs413AndTheServerStaysUp() throws Exception {
    URI base = start(List.of("-Xmx128m"));
    String run = createRun(base);
    post(base, "/api/runs/" + run + "/stages/phase1/executions", null);
    String big = "/api/artifacts/" + run + "/phase1/one-line.txt";

    HttpResponse<String> put =
        CLIENT.send(
            request(base, big, WRITER)
                .header("X-Artifact-Type", "OTHER")
                .header("Content-Type", "text/plain; charset=utf-8")
                .PUT(
                    HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new OneLine(SIZE)), SIZE))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(json(put.body()).path("size").asLong()).isEqualTo(SIZE);

    List<CompletableFuture<HttpResponse<String>>> previews = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      previews.add(
          CLIENT.sendAsync(
              request(base, big + "?lines=1-1", READER).GET().build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> preview : previews) {
      HttpResponse<String> r = preview.get(120, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
      JsonNode problem = json(r.body());
      assertThat(problem.path("detail").asText())
          .contains("server.maxPreviewBytes (1048576 bytes)", "ask for fewer lines");
      assertThat(problem.path("field").asText()).isEqualTo("lines");
    }

    String small = "/api/artifacts/" + run + "/phase1/lines.md";
    HttpResponse<String> putSmall =
        CLIENT.send(
            request(base, small, WRITER)
                .header("X-Artifact-Type", "DOCUMENTATION")
                .header("Content-Type", "text/markdown; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString("# one\ntwo\nthree\n"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(putSmall.statusCode()).as(putSmall.body()).isEqualTo(201);
    HttpResponse<String> lines = get(base, small + "?lines=2-3", READER);
    assertThat(lines.statusCode()).isEqualTo(200);
    assertThat(lines.body()).isEqualTo("two\nthree\n");

    HttpResponse<String> health = get(base, "/health", null);
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(json(health.body()).path("status").asText()).isEqualTo("UP");
    assertThat(server.isAlive()).isTrue();
    assertThat(Files.readString(dir.resolve("server.err"))).doesNotContain("OutOfMemoryError");
  }

  /** Starts the server in its own JVM and returns its URL once it prints it. */
  private URI start(List<String> jvm) throws IOException, InterruptedException {
    Files.writeString(
        dir.resolve("docsgen.yaml"),
        "server: { host: 127.0.0.1, port: 0 }\n"
            + TestServer.tokensYaml()
            + "artifacts:\n  backend: fs\n  fs: { root: ./data/artifacts }\n"
            + "manifest: { url: \"jdbc:sqlite:./data/manifest.db\" }\n"
            + "signing: { keyFile: ./data/bundle-signing.key }\n");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of("--config", "docsgen.yaml"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("DOCSGEN_"));
    builder.redirectError(dir.resolve("server.err").toFile());
    server = builder.start();
    LinkedBlockingQueue<String> url = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    url.add(m.group(1));
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "server-stdout");
    reader.setDaemon(true);
    reader.start();
    String found = url.poll(120, TimeUnit.SECONDS);
    assertThat(found)
        .as("server URL; stderr: %s", Files.readString(dir.resolve("server.err")))
        .isNotNull();
    return URI.create(found);
  }

  private static HttpRequest.Builder request(URI base, String path, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5));
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> get(URI base, String path, String token)
      throws IOException, InterruptedException {
    return CLIENT.send(
        request(base, path, token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(URI base, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder = request(base, path, WRITER);
    HttpRequest post =
        json == null
            ? builder.POST(HttpRequest.BodyPublishers.noBody()).build()
            : builder
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    HttpResponse<String> response = CLIENT.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return response;
  }

  private static String createRun(URI base) throws IOException, InterruptedException {
    return json(post(base, "/api/runs", "{\"coreFiles\": [\"docsgen.md\"]}").body())
        .path("runId")
        .asText();
  }

  private static JsonNode json(String body) throws IOException {
    return Json.mapper().readTree(body);
  }

  /** {@code size} bytes of text without a newline, generated as they are read. */
  private static final class OneLine extends InputStream {
    private final long size;
    private long sent;

    OneLine(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return sent++ < size ? 'w' : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (sent >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - sent);
      Arrays.fill(b, off, off + n, (byte) 'w');
      sent += n;
      return n;
    }
  }
}
