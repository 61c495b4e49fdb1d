package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.adapters.jdbc.testing.SqliteFixture;
import org.docsgen.store.domain.run.CoreFileSet;
import org.docsgen.store.domain.run.Run;
import org.docsgen.store.ports.error.BackendUnavailableException;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statement cache of the reader connections ({@link CachingDataSource}, {@link HotSql}): a
 * statement is prepared once per physical connection and reused across pool checkouts; one whose
 * execution failed is closed and never reused; closing the pool closes them all; on PostgreSQL a
 * connection that broke under a cached statement (prepared beside HikariCP's proxy, so HikariCP
 * never sees that statement fail) still leaves the pool, so the next read works.
 */
class StatementCacheTest {

  abstract static class Cases {
    JdbcDatabase db;
    JdbcManifestStore store;
    Run run;

    abstract JdbcSettings settings();

    @BeforeEach
    void open() {
      JdbcSettings s = settings();
      // one reader connection: every read below checks out the same physical connection
      db = JdbcDatabase.open(new JdbcSettings(s.url(), s.user(), s.password(), 1, false));
      store = new JdbcManifestStore(db);
      run =
          store.createRun(
              LocalDate.of(2026, 12, 7),
              "alice",
              Instant.parse("2026-12-07T10:00:00Z"),
              CoreFileSet.of(List.of("docsgen.md")),
              false);
    }

    @AfterEach
    void close() {
      db.close();
    }

    static HotSql.Cache cacheOf(Handle h) throws Exception {
      return h.getConnection().unwrap(CachingDataSource.Cached.class).statements();
    }

    PreparedStatement readAndPeek() {
      return db.read(
          "test",
          h -> {
            assertThat(RunDao.find(h, run.runId().toString())).contains(run);
            try {
              return cacheOf(h).cached(RunDao.FIND_BY_ID);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    }

    @Test
    void aStatementIsPreparedOncePerConnectionAndReusedAcrossCheckouts() {
      PreparedStatement first = readAndPeek();
      PreparedStatement second = readAndPeek();
      assertThat(first).isNotNull().isSameAs(second);
      // the same through the store's own reads, in and out of a read transaction
      assertThat(store.findRun(run.runId())).contains(run);
      assertThat(readAndPeek()).isSameAs(first);
    }

    @Test
    void aStatementWhoseExecutionFailedIsClosedAndNeverReused() throws Exception {
      PreparedStatement first = readAndPeek();
      assertThatThrownBy(
              () ->
                  db.read(
                      "test",
                      h ->
                          HotSql.one(
                              h,
                              RunDao.FIND_BY_ID,
                              s -> s.setString(1, run.runId().toString()),
                              (rs, ctx) -> {
                                throw new IllegalStateException("mapper fails");
                              })))
          .hasRootCauseMessage("mapper fails");
      assertThat(first.isClosed()).isTrue();
      PreparedStatement again = readAndPeek();
      assertThat(again).isNotSameAs(first);
      assertThat(again.isClosed()).isFalse();
    }

    @Test
    void closingThePoolClosesTheCachedStatements() throws Exception {
      PreparedStatement cached = readAndPeek();
      db.close();
      assertThat(cached.isClosed()).isTrue();
      db = JdbcDatabase.open(settings()); // for close()
    }
  }

  @Nested
  class OnSqlite extends Cases {
    @TempDir Path dir;

    @Override
    JdbcSettings settings() {
      return SqliteFixture.settings(SqliteFixture.newDatabase(dir));
    }
  }

  @Nested
  class OnPostgres extends Cases {
    private String url;

    @Override
    JdbcSettings settings() {
      if (url == null) {
        url = PostgresFixture.newSchema();
      }
      return PostgresFixture.settings(url);
    }

    @Test
    void aConnectionThatBrokeUnderACachedStatementLeavesThePool() throws Exception {
      readAndPeek();
      int pid =
          db.read("test", h -> h.createQuery("SELECT pg_backend_pid()").mapTo(int.class).one());
      try (Connection raw = PostgresFixture.connect(url)) {
        raw.createStatement().execute("SELECT pg_terminate_backend(" + pid + ")");
      }
      assertThatThrownBy(() -> store.findRun(run.runId()))
          .isInstanceOf(BackendUnavailableException.class);
      // HikariCP checks only connections idle for 500 ms before handing them out: the dead one
      // must have left the pool when the failed read gave it back
      assertThat(store.findRun(run.runId())).contains(run);
      assertThat(store.findRun(run.runId())).contains(run);
    }
  }
}
