package org.docsgen.store.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;

/** The manifest contract on PostgreSQL: a new schema per test. */
class PostgresManifestStoreTest extends AbstractJdbcManifestStoreTest {
  @Override
  protected JdbcSettings newSettings() {
    return PostgresFixture.settings(PostgresFixture.newSchema());
  }

  @Override
  protected Connection rawConnection() throws SQLException {
    return PostgresFixture.connect(settings.url());
  }

  @Override
  protected JdbcSettings unreachableSettings() {
    // port 1 on the loopback: nothing listens, the connection is refused at once
    return new JdbcSettings("jdbc:postgresql://127.0.0.1:1/docsgen", "x", "y", 2, false);
  }

  @Override
  protected void awaitAnotherSessionWaitingForALock() throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (count(
              "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                  + " AND datname = current_database()")
          > 0) {
        return;
      }
      Thread.sleep(20);
    }
  }
}
