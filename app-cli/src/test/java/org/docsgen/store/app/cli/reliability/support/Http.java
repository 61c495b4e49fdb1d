package org.docsgen.store.app.cli.reliability.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.docsgen.store.app.http.json.Json;

/**
 * A small real HTTP client (the JDK's) for one server: the calls the suite's loads make, each
 * answering the status, headers and body; an I/O failure (the server was killed) is an {@link
 * IOException} for the caller to count.
 */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private final URI base;

  public Http(URI base) {
    this.base = base;
  }

  /** One answer. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst();
    }

    @Override
    public String toString() {
      return status + " " + (body.length > 2000 ? text().substring(0, 2000) + "…" : text());
    }
  }

  public URI base() {
    return base;
  }

  /** Sends one request; {@code headers} are name, value pairs. */
  public Response send(String method, String path, String token, byte[] body, String... headers)
      throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(120))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<byte[]> response =
          CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  public Response get(String path, String token) throws IOException {
    return send("GET", path, token, null);
  }

  public Response postJson(String path, String token, Object json) throws IOException {
    return send(
        "POST",
        path,
        token,
        json == null ? null : Json.mapper().writeValueAsBytes(json),
        "Content-Type",
        "application/json");
  }

  /** PUT of an artifact of {@code type} ({@code headers} added after the type). */
  public Response put(String artifactPath, String type, byte[] body, String... headers)
      throws IOException {
    String[] all = new String[headers.length + 4];
    all[0] = "X-Artifact-Type";
    all[1] = type;
    all[2] = "Content-Type";
    all[3] = "application/octet-stream";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return send("PUT", "/api/artifacts/" + artifactPath, StoreConfig.WRITER, body, all);
  }

  /** The bytes of {@code path}@{@code generation}, empty on 404; any other status fails. */
  public Optional<byte[]> read(String artifactPath, int generation) throws IOException {
    Response r =
        get("/api/artifacts/" + artifactPath + "?generation=" + generation, StoreConfig.READER);
    if (r.status() == 404) {
      return Optional.empty();
    }
    if (r.status() != 200) {
      throw new IOException("GET " + artifactPath + "@" + generation + " answered " + r);
    }
    return Optional.of(r.body());
  }

  // ---- the set-up calls every kind makes (they fail the test on an unexpected status)

  public static Response expect(Response response, int status) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + " but got " + response);
    }
    return response;
  }

  /** Creates a run (core files {@code docsgen.md}) and answers its id. */
  public String createRun() throws IOException {
    return expect(
            postJson("/api/runs", StoreConfig.WRITER, Map.of("coreFiles", List.of("docsgen.md"))),
            201)
        .json()
        .path("runId")
        .asText();
  }

  /** Starts an execution of {@code stage} and answers its attempt. */
  public int startExecution(String runId, String stage) throws IOException {
    return expect(
            postJson(
                "/api/runs/" + runId + "/stages/" + stage + "/executions",
                StoreConfig.WRITER,
                null),
            201)
        .json()
        .path("attempt")
        .asInt();
  }

  public void finishExecution(String runId, String stage, int attempt, String status)
      throws IOException {
    expect(
        postJson(
            "/api/runs/" + runId + "/stages/" + stage + "/executions/" + attempt + "/finish",
            StoreConfig.WRITER,
            Map.of("status", status)),
        200);
  }

  /** An overwrite token for {@code artifactPath}. */
  public String overwriteToken(String runId, String artifactPath) throws IOException {
    return expect(
            postJson(
                "/api/runs/" + runId + "/overwrite-tokens",
                StoreConfig.WRITER,
                Map.of("path", artifactPath)),
            200)
        .json()
        .path("token")
        .asText();
  }
}
