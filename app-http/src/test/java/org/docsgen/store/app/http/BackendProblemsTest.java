package org.docsgen.store.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.docsgen.store.app.http.testing.TestServer.READER;
import static org.docsgen.store.app.http.testing.TestServer.WRITER;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.app.http.config.ConfigLoader;
import org.docsgen.store.app.http.testing.Api;
import org.docsgen.store.app.http.testing.Api.Response;
import org.docsgen.store.app.http.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 503 names the backend and what to do, and never shows a server-side file path, SQL, a driver's
 * error text or a stack trace (ARCHITECTURE.md § Interface details, Problems): provoked for real on
 * the filesystem store (its root moved away), on SQLite and on PostgreSQL (a table dropped under
 * the running server).
 */
class BackendProblemsTest {
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(^|[\\s('\"=:\\[])/[A-Za-z0-9._-]");
  private static final Pattern LEAKS =
      Pattern.compile(
          "(?i)SQLITE_|\\bSELECT\\b|\\bINSERT\\b|\\bFROM\\b|\\bWHERE\\b|no such table|relation \""
              + "|ERROR:|SQLSTATE|Exception|\\bat [a-z]+\\.[a-z]|\\.java:");

  @TempDir Path dir;

  @Test
  void aFilesystemFailureNamesTheBackendAndWhatToDoButNoPath() throws Exception {
    try (TestServer server = TestServer.embedded(dir)) {
      Api api = server.api();
      String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
      api.start(WRITER, runId, "phase1");
      String path = runId + "/phase1/kept.md";
      Api.expect(api.putText(WRITER, path, "DOCUMENTATION", "kept\n"), 201);

      Path root = server.dataDir().resolve("artifacts");
      Path away = server.dataDir().resolve("artifacts-away");
      Files.move(root, away);
      try {
        // a small body is packed: appended to the segment the store holds open, which moved
        // away with the root, so the store must notice that it is no longer where readers look
        Response packed = api.putText(WRITER, runId + "/phase1/new.md", "DOCUMENTATION", "x\n");
        assertSafeBackendProblem(packed, "fs", server.dataDir());
        // a body over the 64 KiB the store packs is staged below the run/stage folders, gone too
        String body = "x\n".repeat(40_000);
        Response staged = api.putText(WRITER, runId + "/phase1/big.md", "DOCUMENTATION", body);
        assertSafeBackendProblem(staged, "fs", server.dataDir());
      } finally {
        Files.move(away, root);
      }
      Api.expect(api.get("/api/artifacts/" + path, READER), 200);
    }
  }

  @Test
  void aSqliteFailureNamesTheBackendAndWhatToDoButNoSql() throws Exception {
    try (TestServer server = TestServer.embedded(dir)) {
      Api api = server.api();
      String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
      Path db = server.dataDir().resolve("manifest.db");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE approvals");
      }
      Response list = api.get("/api/runs/" + runId + "/approvals", READER);
      assertSafeBackendProblem(list, "sqlite", server.dataDir());
    }
  }

  @Test
  void aPostgresFailureNamesTheBackendAndWhatToDoButNoSql() throws SQLException {
    String url = PostgresFixture.newSchema();
    String yaml =
        "server: { host: 127.0.0.1, port: 0 }\n"
            + TestServer.tokensYaml()
            + "artifacts:\n  backend: fs\n  fs: { root: ./data/artifacts }\n"
            + "manifest:\n  url: \""
            + url
            + "\"\n  user: \""
            + PostgresFixture.user()
            + "\"\n  password: \""
            + (PostgresFixture.password() == null ? "" : PostgresFixture.password())
            + "\"\n"
            + "signing: { keyFile: ./data/bundle-signing.key }\n";
    try (TestServer server =
        TestServer.start(ConfigLoader.fromYaml(yaml, Map.of(), dir), List.of(), dir)) {
      Api api = server.api();
      String runId = api.createRun(WRITER, List.of("docsgen.md"), false);
      try (Connection c = PostgresFixture.connect(url);
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE approvals CASCADE");
      }
      Response list = api.get("/api/runs/" + runId + "/approvals", READER);
      assertSafeBackendProblem(list, "postgresql", dir);
    }
  }

  private static void assertSafeBackendProblem(Response response, String backend, Path dataDir) {
    assertThat(response.status()).as(response.toString()).isEqualTo(503);
    assertThat(response.problem()).isEqualTo("backend-unavailable");
    String detail = response.json().path("detail").asText();
    assertThat(detail).as("no absolute path").doesNotContainPattern(ABSOLUTE_PATH);
    assertThat(response.text())
        .as("no server-side path")
        .doesNotContain(dataDir.toString())
        .doesNotContain(dataDir.toAbsolutePath().getRoot().resolve("tmp").toString() + "/");
    assertThat(detail).as("no SQL, driver text or trace").doesNotContainPattern(LEAKS);
    assertThat(response.text()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(detail).as("names the backend").startsWith(backend + ": ");
    assertThat(detail).as("says what to do").contains("then retry");
  }
}
