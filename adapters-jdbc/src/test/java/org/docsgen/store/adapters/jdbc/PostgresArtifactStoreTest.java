package org.docsgen.store.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;

/** The artifact-store contract on PostgreSQL: a new schema per test. */
class PostgresArtifactStoreTest extends AbstractJdbcArtifactStoreTest {
  @Override
  protected JdbcSettings newSettings() {
    return PostgresFixture.settings(PostgresFixture.newSchema());
  }

  @Override
  protected Connection rawConnection() throws SQLException {
    return PostgresFixture.connect(settings.url());
  }
}
