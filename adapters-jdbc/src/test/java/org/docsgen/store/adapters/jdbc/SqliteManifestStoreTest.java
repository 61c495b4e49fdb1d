package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.docsgen.store.adapters.jdbc.testing.SqliteFixture;
import org.docsgen.store.domain.run.Run;
import org.junit.jupiter.api.Assumptions;
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

  /**
   * A file that refuses writes still answers {@code SELECT 1}: the health of a manifest is whether
   * it takes a write. {@code chattr +i} makes the file and its WAL immutable even to root and to
   * descriptors opened before (the test needs root and a filesystem with the flag, as CI has).
   */
  @Test
  void aDatabaseThatRefusesWritesIsDownAndUpAgainWhenItTakesThem() throws Exception {
    Run run = newRun();
    Path file = Path.of(settings.url().substring("jdbc:sqlite:".length()).replaceAll("\\?.*", ""));
    Path wal = Path.of(file + "-wal");
    assertThat(store.health().up()).isTrue();
    boolean immutable = chattr("+i", file) && chattr("+i", wal);
    try {
      if (System.getenv("CI") == null) {
        Assumptions.assumeTrue(immutable, "chattr +i needs root and ext4/xfs/btrfs");
      }
      assertThat(immutable).as("chattr +i on the database and its WAL (CI runs as root)").isTrue();
      assertThat(store.findRun(run.runId())).isPresent();

      assertThat(store.health().up()).as("health while the file refuses writes").isFalse();
    } finally {
      chattr("-i", file);
      chattr("-i", wal);
    }
    assertThat(store.health().up()).as("health once the file takes writes again").isTrue();
  }

  private static boolean chattr(String flag, Path file) throws Exception {
    Process p =
        new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
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
