package org.docsgen.store.adapters.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.docsgen.store.adapters.jdbc.testing.SqliteFixture;
import org.junit.jupiter.api.io.TempDir;

/** The artifact-store contract on SQLite: a new database file per test. */
class SqliteArtifactStoreTest extends AbstractJdbcArtifactStoreTest {
  @TempDir Path dir;

  @Override
  protected JdbcSettings newSettings() {
    return SqliteFixture.settings(SqliteFixture.newDatabase(dir));
  }

  @Override
  protected Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(settings.url());
  }
}
