package org.docsgen.store.adapters.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.docsgen.store.adapters.jdbc.testing.PostgresFixture;
import org.docsgen.store.adapters.jdbc.testing.SqliteFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations mean the same on both databases: after migrating, SQLite and PostgreSQL hold the
 * same tables with the same columns, the same explicitly created indexes (with the same columns),
 * and the same schema version.
 */
class MigrationParityTest {
  @TempDir Path dir;

  @Test
  void sqliteAndPostgresEndWithTheSameSchema() throws SQLException {
    String sqliteUrl = SqliteFixture.newDatabase(dir);
    JdbcDatabase.open(SqliteFixture.settings(sqliteUrl)).close();
    String pgUrl = PostgresFixture.newSchema();
    JdbcDatabase.open(PostgresFixture.settings(pgUrl)).close();

    try (Connection sqlite = DriverManager.getConnection(sqliteUrl);
        Connection pg = PostgresFixture.connect(pgUrl)) {
      Map<String, Set<String>> sqliteColumns = columns(sqlite, null);
      Map<String, Set<String>> pgColumns = columns(pg, pg.getSchema());
      assertThat(sqliteColumns).isNotEmpty().isEqualTo(pgColumns);
      assertThat(sqliteColumns.keySet())
          .containsAll(AbstractJdbcManifestStoreTest.MANIFEST_TABLES)
          .contains("blob_versions", "blob_chunks", "blob_uploads", "id_allocations");

      Map<String, String> sqliteIndexes =
          query(
              sqlite,
              "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
      Map<String, String> pgIndexes =
          query(
              pg,
              "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname ="
                  + " current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                  + " WHERE c.conname = i.indexname)");
      assertThat(sqliteIndexes.keySet()).isEqualTo(pgIndexes.keySet());
      sqliteIndexes.forEach(
          (name, sql) -> assertThat(shape(pgIndexes.get(name))).as(name).isEqualTo(shape(sql)));
      assertThat(sqliteIndexes.get("executions_one_running")).contains("WHERE status = 'RUNNING'");

      String version = "SELECT MAX(version) AS v, COUNT(*) AS n FROM flyway_schema_history";
      assertThat(query(sqlite, version)).isEqualTo(query(pg, version));
    }
  }

  /** table -> column names; Flyway's and SQLite's own tables left out. */
  private static Map<String, Set<String>> columns(Connection c, String schema) throws SQLException {
    Map<String, Set<String>> tables = new TreeMap<>();
    DatabaseMetaData meta = c.getMetaData();
    try (ResultSet rs = meta.getColumns(null, schema, "%", "%")) {
      while (rs.next()) {
        String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (!table.equals("flyway_schema_history") && !table.startsWith("sqlite_")) {
          tables
              .computeIfAbsent(table, t -> new TreeSet<>())
              .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
        }
      }
    }
    return tables;
  }

  private static Map<String, String> query(Connection c, String sql) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    }
    return rows;
  }

  /** "UNIQUE? (col, col, ...) WHERE?" of a CREATE INDEX statement, spelling differences removed. */
  private static String shape(String createIndex) {
    String s = createIndex.replace("USING btree ", "").replace("public.", "");
    String unique = s.startsWith("CREATE UNIQUE") ? "UNIQUE " : "";
    String cols =
        s.substring(s.indexOf('(') + 1, s.indexOf(')')).replace(" ", "").replace("\"", "");
    String where = s.contains(" WHERE ") ? " WHERE" : "";
    return unique + cols + where;
  }
}
