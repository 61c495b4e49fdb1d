package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.docsgen.store.adapters.jdbc.testing.SqliteFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest contract on SQLite: a new database file per test. */
class SqliteManifestStoreTest extends AbstractJdbcManifestStoreTest {
  @TempDir Path dir;

  @Override
  protected JdbcSettings newSettings() {
    return SqliteFixture.settings(SqliteFixture.newDatabase(dir));
  }

  @Override
  protected Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(settings.url());
  }

  @Override
  protected JdbcSettings unreachableSettings() {
    // a database file whose "directory" is a regular file can never be opened
    Path notADirectory = dir.resolve("plain-file");
    try {
      java.nio.file.Files.writeString(notADirectory, "x");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return SqliteFixture.settings("jdbc:sqlite:" + notADirectory.resolve("manifest.db"));
  }

  @Test
  void theConnectionsUseWalABusyTimeoutAndForeignKeys() {
    JdbcDatabase db = JdbcDatabase.open(settings);
    try {
      assertThat(pragma(db, "journal_mode")).isEqualToIgnoringCase("wal");
      assertThat(pragma(db, "busy_timeout")).isEqualTo("5000");
      assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
    } finally {
      db.close();
    }
  }

  private static String pragma(JdbcDatabase db, String name) {
    return db.read("pragma", h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }

  @Test
  void urlDefaultsAreAddedButNeverOverrideTheUsersChoice() {
    String url = "jdbc:sqlite:" + dir.resolve("sub/dir/x.db") + "?busy_timeout=9000";
    String normalised = JdbcDatabase.sqliteUrl(url);
    assertThat(normalised)
        .contains("busy_timeout=9000")
        .doesNotContain("busy_timeout=5000")
        .contains("journal_mode=WAL")
        .contains("foreign_keys=true");
    assertThat(dir.resolve("sub/dir")).isDirectory();
  }

  @Test
  void inMemoryDatabasesAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JdbcDatabase.sqliteUrl("jdbc:sqlite::memory:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file");
  }
}
