package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.config.ServerConfig;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.wiring.ServerWiring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no configuration at all the server starts on the embedded default under ./docsgen-data and
 * the token generated for this start works (as admin) while others do not.
 */
class EmbeddedDefaultTest {
  @TempDir Path dir;

  @Test
  void startsWithNoConfigurationAndTheGeneratedTokenIsAdmin() {
    ServerConfig config = ConfigLoader.load(List.of(), Map.of("DOCSGEN_SERVER_PORT", "0"), dir);
    String token = config.generatedAdminToken().orElseThrow();
    try (DocsGenServer server = ServerWiring.start(config, Clock.systemUTC(), List.of())) {
      assertThat(server.uri().toString()).startsWith("http://127.0.0.1:");
      Api api = new Api(server.uri());
      assertThat(api.get("/health", null).status()).isEqualTo(200);
      String runId = api.createRun(token, List.of("docsgen.md"), false);
      assertThat(api.get("/api/runs/" + runId, token).json().path("createdBy").asText())
          .isEqualTo("admin");
      assertThat(api.get("/api/runs", "dgs_not-the-generated-token").status()).isEqualTo(401);
    }
    assertThat(dir.resolve("docsgen-data/artifacts")).isDirectory();
    assertThat(dir.resolve("docsgen-data/manifest.db")).isRegularFile();
    assertThat(dir.resolve("docsgen-data/bundle-signing.key")).isRegularFile();
    assertThat(Files.exists(dir.resolve("docsgen.yaml"))).isFalse();
  }
}
