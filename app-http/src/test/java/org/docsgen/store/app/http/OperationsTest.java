package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.List;
import java.util.Locale;
import org.docsgen.store.app.http.routes.Route;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.EmbeddedServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** {@code /health}, {@code /openapi.json}, {@code /metrics} and the request log. */
class OperationsTest {
  @RegisterExtension static final EmbeddedServerExtension EMBEDDED = new EmbeddedServerExtension();

  private final Api api = EMBEDDED.api();

  @Test
  void healthReportsBothStoresWithoutAToken() {
    Response health = api.get("/health", null);
    assertThat(health.status()).isEqualTo(200);
    JsonNode json = health.json();
    assertThat(json.path("status").asText()).isEqualTo("UP");
    assertThat(json.path("artifacts").path("backend").asText()).isEqualTo("fs");
    assertThat(json.path("artifacts").path("status").asText()).isEqualTo("UP");
    assertThat(json.path("artifacts").path("guarded").asBoolean()).isTrue();
    assertThat(json.path("manifest").path("status").asText()).isEqualTo("UP");
  }

  @Test
  void theOpenApiDocumentIsValidAndCoversEveryRoute() {
    Response doc = api.get("/openapi.json", null);
    assertThat(doc.status()).isEqualTo(200);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(doc.text(), null, options);
    assertThat(result.getMessages()).isEmpty();
    OpenAPI openApi = result.getOpenAPI();
    assertThat(openApi.getOpenapi()).isEqualTo("3.1.0");
    for (Route route : EMBEDDED.server().server().routes()) {
      PathItem item = openApi.getPaths().get(route.openApiPath());
      assertThat(item).as(route.openApiPath()).isNotNull();
      PathItem.HttpMethod method = PathItem.HttpMethod.valueOf(route.method().name());
      assertThat(item.readOperationsMap())
          .as(route.method() + " " + route.path())
          .containsKey(method);
      assertThat(item.readOperationsMap().get(method).getOperationId())
          .isEqualTo(route.operationId());
    }
    assertThat(openApi.getComponents().getSchemas())
        .containsKeys(
            "ArtifactJson", "RunJson", "ExecutionJson", "IssueJson", "ApprovalJson", "Problem");
    assertThat(openApi.getComponents().getSchemas().get("ArtifactJson").getProperties().keySet())
        .containsExactlyElementsOf(Api.ARTIFACT_FIELDS);
  }

  @Test
  void metricsCountRequestsPerRouteTemplateForAnyRole() {
    String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
    api.get("/api/runs/" + runId, READER);
    assertThat(api.get("/metrics", null).status()).isEqualTo(401);
    Response metrics = api.get("/metrics", READER);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    assertThat(metrics.text())
        .contains(
            "docsgen_http_server_requests_seconds_count{method=\"GET\",route=\"/api/runs/{runId}\",status=\"200\"}")
        .contains("docsgen_http_server_received_bytes_total{method=\"POST\",route=\"/api/runs\"}")
        .contains("docsgen_http_server_sent_bytes_total")
        .doesNotContain(runId);
  }

  @Test
  void everyRequestLogsOneStructuredLine() {
    Logger access = (Logger) LoggerFactory.getLogger("docsgen.http.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
      api.get("/api/runs/" + runId + "/nothing-here", READER);
    } finally {
      access.detachAppender(lines);
    }
    assertThat(lines.list).hasSize(2);
    String created = lines.list.get(0).getFormattedMessage();
    assertThat(created)
        .startsWith("method=POST route=/api/runs status=201 durationMs=")
        .contains("principal=orchestrator")
        .contains("bytesIn=")
        .containsPattern("bytesOut=[1-9]");
    assertThat(lines.list.get(1).getFormattedMessage())
        .startsWith("method=GET route=(unmatched) status=404")
        .contains("principal=-");
    assertThat(lines.list.get(0).getKeyValuePairs())
        .extracting(kv -> kv.key.toLowerCase(Locale.ROOT))
        .contains("method", "route", "status", "durationms", "principal", "bytesin", "bytesout");
  }
}
