package org.docsgen.store.app.http.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.docsgen.store.app.http.json.Json;

/** A real HTTP client (java.net.http) against a started server, with small helpers for the API. */
public final class Api {
  /**
   * An artifact's JSON field names, in the order the API writes them (the OpenAPI document's {@code
   * ArtifactJson} too): a public interface, pinned.
   */
  public static final List<String> ARTIFACT_FIELDS =
      List.of(
          "path",
          "runId",
          "stage",
          "name",
          "type",
          "hash",
          "size",
          "mediaType",
          "createdBy",
          "createdAt",
          "generation");

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final URI base;

  public Api(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** A response read whole. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
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

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The problem {@code type} slug (after {@code /problems/}), or null when not a problem. */
    public String problem() {
      String type = header("Content-Type");
      if (type == null || !type.startsWith("application/problem+json")) {
        return null;
      }
      String uri = json().path("type").asText();
      return uri.substring(uri.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
      return status + " " + (body.length > 600 ? text().substring(0, 600) + "..." : text());
    }
  }

  public HttpRequest.Builder request(String path, String token, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(10));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response get(String path, String token, String... headers) {
    return send(request(path, token, headers).GET().build());
  }

  public Response head(String path, String token, String... headers) {
    return send(
        request(path, token, headers).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
  }

  public Response post(String path, String token, Object json) {
    HttpRequest.Builder builder = request(path, token);
    if (json == null) {
      return send(builder.POST(HttpRequest.BodyPublishers.noBody()).build());
    }
    return send(
        builder
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(toJson(json)))
            .build());
  }

  public Response postRaw(String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder builder = request(path, token);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  public Response put(String path, String token, byte[] body, String... headers) {
    return send(
        request(path, token, headers).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  public static byte[] toJson(Object value) {
    try {
      return value instanceof String text
          ? text.getBytes(StandardCharsets.UTF_8)
          : Json.mapper().writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- the API's own vocabulary

  public String createRun(String token, List<String> coreFiles, boolean bundleReadme) {
    Response r =
        post("/api/runs", token, Map.of("coreFiles", coreFiles, "bundleReadme", bundleReadme));
    expect(r, 201);
    return r.json().path("runId").asText();
  }

  public int start(String token, String runId, String stage) {
    Response r = post("/api/runs/" + runId + "/stages/" + stage + "/executions", token, null);
    expect(r, 201);
    return r.json().path("attempt").asInt();
  }

  public JsonNode finish(String token, String runId, String stage, int attempt, String status) {
    Response r =
        post(
            "/api/runs/" + runId + "/stages/" + stage + "/executions/" + attempt + "/finish",
            token,
            Map.of("status", status));
    expect(r, 200);
    return r.json();
  }

  public Response putText(String token, String path, String type, String text, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "X-Artifact-Type";
    all[1] = type;
    all[2] = "Content-Type";
    all[3] = "text/markdown; charset=utf-8";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return put("/api/artifacts/" + path, token, text.getBytes(StandardCharsets.UTF_8), all);
  }

  public static void expect(Response response, int status) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + " but got " + response);
    }
  }
}
