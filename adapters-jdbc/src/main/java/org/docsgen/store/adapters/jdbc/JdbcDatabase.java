package org.docsgen.store.adapters.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.docsgen.store.ports.error.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * One migrated database and its connection pools, shared by the manifest store and the database
 * artifact store. PostgreSQL: one HikariCP pool for everything; transactions run at READ COMMITTED
 * and every cross-writer guarantee rests on unique keys and row locks. SQLite: one writer
 * connection (a pool of one, transactions {@code BEGIN IMMEDIATE}) so writes of this process queue
 * in Java instead of failing with "database is locked", beside a pool of reader connections that
 * WAL lets run next to the writer. Other processes on the same file wait up to {@code
 * busy_timeout}.
 */
final class JdbcDatabase implements AutoCloseable {
  private static final Map<String, String> SQLITE_DEFAULTS =
      Map.of(
          "journal_mode", "WAL",
          "synchronous", "FULL",
          "busy_timeout", "5000",
          "foreign_keys", "true");

  private final Dialect dialect;
  private final HikariDataSource writePool;
  private final HikariDataSource readPool;
  private final Jdbi writes;
  private final Jdbi reads;
  private final GroupCommitWriter groupCommit;

  private JdbcDatabase(
      JdbcSettings settings, HikariDataSource writePool, HikariDataSource readPool) {
    this.dialect = Dialect.of(settings);
    this.writePool = writePool;
    this.readPool = readPool;
    this.writes = Jdbi.create(writePool).installPlugin(new SqlObjectPlugin());
    this.reads =
        readPool == writePool ? writes : Jdbi.create(readPool).installPlugin(new SqlObjectPlugin());
    this.groupCommit =
        dialect == Dialect.SQLITE ? new GroupCommitWriter(writes, "docsgen-sqlite-writer") : null;
  }

  /**
   * Migrates the database to the newest schema version and opens the pools.
   *
   * @throws org.docsgen.store.ports.error.BackendUnavailableException the database cannot be
   *     reached or migrated
   */
  static JdbcDatabase open(JdbcSettings settings) {
    requireNonNull(settings, "settings is null");
    Dialect dialect = Dialect.of(settings);
    String url = dialect == Dialect.SQLITE ? sqliteUrl(settings.url()) : settings.url();
    String action = "migrating " + settings.displayUrl();
    try {
      migrate(settings, dialect, url);
    } catch (RuntimeException e) {
      throw SqlFailures.translate(e, dialect.label(), action);
    }
    if (dialect == Dialect.POSTGRESQL) {
      HikariDataSource pool =
          pool(settings, url, "docsgen-pg", settings.maxPoolSize(), 10_000, true);
      return new JdbcDatabase(settings, pool, pool);
    }
    HikariDataSource writer =
        pool(
            settings,
            withParam(url, "transaction_mode", "IMMEDIATE"),
            "docsgen-sqlite-w",
            1,
            60_000,
            false);
    HikariDataSource readers =
        pool(settings, url, "docsgen-sqlite-r", settings.maxPoolSize(), 30_000, true);
    return new JdbcDatabase(settings, writer, readers);
  }

  private static void migrate(JdbcSettings settings, Dialect dialect, String url) {
    migrations(settings, dialect, url).load().migrate();
  }

  /** The migration set of {@code dialect}, on a plain (unpooled) data source. */
  static FluentConfiguration migrations(JdbcSettings settings, Dialect dialect, String url) {
    // unpooled: Flyway may open more connections than the SQLite writer pool's one
    return Flyway.configure()
        .dataSource(url, settings.user(), settings.password())
        .locations("classpath:db/migration/common", "classpath:db/migration/" + dialect.label())
        .placeholders(dialect.placeholders())
        .failOnMissingLocations(true);
  }

  /**
   * A pool of {@code size} connections to {@code url}. With {@code cachingStatements} its physical
   * connections keep the statements {@link HotSql} prepares on them ({@link CachingDataSource});
   * the SQLite writer pool does not need it, its one thread keeps its own ({@link
   * GroupCommitWriter}).
   */
  private static HikariDataSource pool(
      JdbcSettings settings,
      String url,
      String name,
      int size,
      long connectionTimeoutMillis,
      boolean cachingStatements) {
    HikariConfig config = new HikariConfig();
    if (cachingStatements) {
      // HikariCP's own driver data source, as it would build for the URL, wrapped
      config.setDataSource(
          new CachingDataSource(
              new DriverDataSource(
                  url, null, new Properties(), settings.user(), settings.password())));
    } else {
      config.setJdbcUrl(url);
      config.setUsername(settings.user());
      config.setPassword(settings.password());
    }
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(size, 2));
    config.setConnectionTimeout(connectionTimeoutMillis);
    // the pool starts even while the database is down: requests then fail with 503 and
    // health says DOWN, rather than the server refusing to start
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /**
   * The SQLite URL with the pragmas STACK.md requires unless the URL sets them; creates the file's
   * parent directory. In-memory databases are refused (each connection would get its own).
   */
  static String sqliteUrl(String url) {
    Path file =
        JdbcSettings.sqliteFile(url)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "an in-memory SQLite manifest would lose everything and cannot be shared"
                            + " between connections; give a file, e.g."
                            + " jdbc:sqlite:./docsgen-data/manifest.db"));
    createParentDirectory(file);
    String result = url;
    for (Map.Entry<String, String> pragma : new LinkedHashMap<>(SQLITE_DEFAULTS).entrySet()) {
      if (!hasParam(result, pragma.getKey())) {
        result = withParam(result, pragma.getKey(), pragma.getValue());
      }
    }
    return result;
  }

  private static void createParentDirectory(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException | RuntimeException e) {
      throw new BackendUnavailableException(
          Dialect.SQLITE.label(),
          "cannot create the directory of the SQLite file; check manifest.url",
          "cannot create the directory of " + file + ": " + e,
          e);
    }
  }

  private static boolean hasParam(String url, String key) {
    int query = url.indexOf('?');
    if (query < 0) {
      return false;
    }
    for (String pair : url.substring(query + 1).split("&")) {
      if (pair.equals(key) || pair.startsWith(key + "=")) {
        return true;
      }
    }
    return false;
  }

  private static String withParam(String url, String key, String value) {
    return url + (url.indexOf('?') < 0 ? "?" : "&") + key + "=" + value;
  }

  /** {@code sqlite} or {@code postgresql}. */
  String backend() {
    return dialect.label();
  }

  /**
   * Runs {@code work} in a write transaction, translating failures (see {@link SqlFailures}). On
   * SQLite the work joins the next group commit ({@link GroupCommitWriter}): its own savepoint in a
   * transaction shared with the writes waiting beside it, answered after the one durable commit.
   */
  <T> T write(String action, HandleCallback<T, RuntimeException> work) {
    try {
      return groupCommit != null ? groupCommit.write(work) : writes.inTransaction(work);
    } catch (RuntimeException e) {
      throw SqlFailures.translate(e, backend(), action);
    }
  }

  /** Runs read-only {@code work} on a reader connection (auto-commit). */
  <T> T read(String action, HandleCallback<T, RuntimeException> work) {
    try {
      return reads.withHandle(work);
    } catch (RuntimeException e) {
      throw SqlFailures.translate(e, backend(), action);
    }
  }

  /** Runs read-only {@code work} in one transaction: its statements see one snapshot. */
  <T> T readConsistent(String action, HandleCallback<T, RuntimeException> work) {
    try {
      return reads.inTransaction(work);
    } catch (RuntimeException e) {
      throw SqlFailures.translate(e, backend(), action);
    }
  }

  /**
   * {@code null} when the database takes a write (one row of {@code health_probe} rewritten and
   * committed like any write, durably), else why not. A database that still answers queries but
   * refuses writes (an immutable file, a full disk) is not healthy. Never throws.
   */
  String problem() {
    try {
      String now = Instant.now().toString();
      write(
          "health check",
          h ->
              h.createUpdate("UPDATE health_probe SET probed_at = :now WHERE id = 1")
                  .bind("now", now)
                  .execute());
      return null;
    } catch (RuntimeException e) {
      // the health detail is logged, never served: keep the driver's words
      StoreException failure = SqlFailures.translate(e, backend(), "health check");
      return failure instanceof BackendUnavailableException down
          ? down.getMessage() + down.internalDetail().map(d -> " (" + d + ")").orElse("")
          : failure.getMessage();
    }
  }

  @Override
  public void close() {
    if (groupCommit != null) {
      groupCommit.close();
    }
    if (readPool != writePool) {
      readPool.close();
    }
    writePool.close();
  }
}
