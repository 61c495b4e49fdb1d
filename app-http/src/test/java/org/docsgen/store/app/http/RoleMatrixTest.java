package org.docsgen.store.app.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.docsgen.store.app.http.auth.Access;
import org.docsgen.store.app.http.routes.Route;
import org.docsgen.store.app.http.routes.Route.Body;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.EmbeddedServerExtension;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route of the route table × every role: exactly the roles ARCHITECTURE.md § Roles allows get
 * past authorisation, every other role gets 403, no token (or an unknown one) gets 401, and the
 * open routes need nothing. The expected roles are derived here from the pinned rules, not from the
 * table, so a route declaring the wrong access fails.
 */
class RoleMatrixTest {
  private static final List<String> ROLES = List.of("reader", "writer", "approver", "admin");

  /**
   * Every route ARCHITECTURE.md § Entry points pins (the table may add routes, never drop these).
   */
  private static final List<String> PINNED =
      List.of(
          "POST /api/runs",
          "GET /api/runs",
          "GET /api/runs/{runId}",
          "POST /api/runs/{runId}/stages/{stage}/executions",
          "POST /api/runs/{runId}/stages/{stage}/executions/{attempt}/finish",
          "GET /api/runs/{runId}/stages/{stage}/executions",
          "GET /api/runs/{runId}/stages/{stage}/executions/{attempt}",
          "PUT /api/artifacts/<path>",
          "GET /api/artifacts/<path>",
          "GET /api/runs/{runId}/artifacts",
          "POST /api/runs/{runId}/overwrite-tokens",
          "POST /api/runs/{runId}/issues",
          "GET /api/runs/{runId}/issues",
          "POST /api/runs/{runId}/approvals",
          "GET /api/runs/{runId}/approvals",
          "POST /api/runs/{runId}/bundle",
          "GET /api/runs/{runId}/bundle/verify",
          "GET /api/runs/{runId}/bundle/attestation",
          "GET /api/signing-keys",
          "GET /api/runs/{runId}/diff",
          "GET /health",
          "GET /openapi.json",
          "GET /ui/");

  @RegisterExtension static final EmbeddedServerExtension EMBEDDED = new EmbeddedServerExtension();

  private final Api api = EMBEDDED.api();
  private static String runId;

  @BeforeAll
  static void start() {
    runId = EMBEDDED.api().createRun(TestServer.WRITER, List.of("docsgen.md"), false);
  }

  @Test
  void theTableHoldsEveryPinnedRoute() {
    Set<String> table =
        EMBEDDED.server().server().routes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(table).containsAll(PINNED);
  }

  @Test
  void exactlyTheAllowedRolesPassEveryRoute() {
    List<String> failures = new ArrayList<>();
    for (Route route : EMBEDDED.server().server().routes()) {
      Set<String> allowed = allowedRoles(route);
      String name = route.method() + " " + route.path();
      if (!expectedAccess(route).equals(route.access())) {
        failures.add(name + " declares " + route.access() + ", expected " + expectedAccess(route));
      }
      for (String role : ROLES) {
        Response response = call(route, TestServer.TOKENS_BY_ROLE.get(role));
        boolean passed = response.status() != 401 && response.status() != 403;
        if (passed != allowed.contains(role)) {
          failures.add(name + " as " + role + " -> " + response);
        }
        if (!passed
            && (response.status() != 403
                || (route.method() != Route.Method.HEAD
                    && !"forbidden".equals(response.problem())))) {
          failures.add(name + " as " + role + " refused without a 403 forbidden: " + response);
        }
      }
      Response anonymous = call(route, null);
      Response forged = call(route, "not-a-configured-token-000");
      if (route.access() == Access.OPEN) {
        if (anonymous.status() == 401 || anonymous.status() == 403) {
          failures.add(name + " is open but refused an anonymous call: " + anonymous);
        }
      } else {
        boolean headOnly = route.method() == Route.Method.HEAD; // a HEAD answer has no body
        for (Response r : List.of(anonymous, forged)) {
          if (r.status() != 401
              || (!headOnly && !"unauthorized".equals(r.problem()))
              || r.header("WWW-Authenticate") == null) {
            failures.add(name + " without a valid token -> " + r);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  /**
   * The pinned rule: open routes (the browser view's static files too); GET/HEAD any role;
   * approvals approver; other writes writer.
   */
  private static Access expectedAccess(Route route) {
    if (route.path().equals("/health")
        || route.path().equals("/openapi.json")
        || route.path().equals("/ui")
        || route.path().startsWith("/ui/")) {
      return Access.OPEN;
    }
    if (route.method() == Route.Method.GET || route.method() == Route.Method.HEAD) {
      return Access.READ;
    }
    if (route.path().endsWith("/approvals")) {
      return Access.APPROVE;
    }
    return Access.WRITE;
  }

  private static Set<String> allowedRoles(Route route) {
    return switch (expectedAccess(route)) {
      case OPEN, READ -> Set.copyOf(ROLES);
      case WRITE -> Set.of("writer", "admin");
      case APPROVE -> Set.of("approver", "admin");
      case ADMIN -> Set.of("admin");
    };
  }

  private static Response call(Route route, String token) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("runId", runId);
    values.put("stage", "phase1");
    values.put("attempt", "1");
    values.put("path", runId + "/phase1/matrix.md");
    values.put("asset", "app.js");
    String path = route.path();
    for (Map.Entry<String, String> v : values.entrySet()) {
      path =
          path.replace("{" + v.getKey() + "}", v.getValue())
              .replace("<" + v.getKey() + ">", v.getValue());
    }
    Api api = EMBEDDED.api();
    HttpRequest.Builder request = api.request(path, token);
    HttpRequest.BodyPublisher body =
        route.request() instanceof Body.None
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(
                route.request() instanceof Body.Bytes
                    ? "matrix".getBytes(UTF_8)
                    : "{}".getBytes(UTF_8));
    if (route.request() instanceof Body.JsonOf) {
      request.header("Content-Type", "application/json");
    }
    if (route.request() instanceof Body.Bytes) {
      request.header("X-Artifact-Type", "DOCUMENTATION").header("Content-Type", "text/markdown");
    }
    return api.send(request.method(route.method().name(), body).build());
  }
}
