package org.docsgen.store.app.http.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.docsgen.store.app.http.demo.DemoRun;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --demo}: the example run is seeded through the use cases once, and only once. */
class DemoRunTest {
  @TempDir Path dir;

  @Test
  void theDemoRunIsSeededOnceWithAFailedAndAPassedFinalAttemptAndAVerifiedBundle() {
    List<DemoRun.Seeded> seeded = new ArrayList<>();
    try (TestServer server = TestServer.embeddedWithDemo(dir, "", seeded::add)) {
      Api api = server.api();
      String run = seeded.get(0).runId().toString();
      assertThat(seeded.get(0).created()).isTrue();
      JsonNode finals =
          api.get("/api/runs/" + run + "/stages/final/executions", TestServer.READER).json();
      assertThat(finals.path("items").findValuesAsText("status"))
          .containsExactly("FAILED", "SUCCEEDED");
      JsonNode first =
          api.get("/api/runs/" + run + "/stages/final/executions/1", TestServer.READER).json();
      assertThat(first.path("gate").path("passed").asBoolean()).isFalse();
      assertThat(first.path("issueCounts").path("ERROR").asLong()).isEqualTo(2);
      assertThat(first.path("issues").path("items").get(0).path("link").asText())
          .isEqualTo("/api/artifacts/" + run + "/phase1/guide.md?generation=1&lines=13-14");
      assertThat(
              api.get("/api/runs/" + run + "/approvals", TestServer.READER)
                  .json()
                  .path("items")
                  .findValuesAsText("decision"))
          .containsExactly("APPROVED");
      assertThat(
              api.get("/api/runs/" + run + "/bundle/verify", TestServer.READER)
                  .json()
                  .path("valid")
                  .asBoolean())
          .isTrue();
    }
    try (TestServer again = TestServer.embeddedWithDemo(dir, "", seeded::add)) {
      assertThat(seeded.get(1)).isEqualTo(new DemoRun.Seeded(seeded.get(0).runId(), false));
      assertThat(
              again
                  .api()
                  .get("/api/runs", TestServer.READER)
                  .json()
                  .path("items")
                  .findValuesAsText("runId"))
          .containsExactly(seeded.get(0).runId().toString());
    }
  }
}
