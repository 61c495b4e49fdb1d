package org.docsgen.store.adapters.jdbc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.docsgen.store.adapters.jdbc.JdbcSettings;

/**
 * A fresh SQLite database file per call, under {@code java.io.tmpdir} (surefire points it into
 * {@code target/tmp}) or a directory the test owns (e.g. a JUnit {@code @TempDir}). The files are
 * deleted when the JVM exits.
 *
 * <pre>{@code
 * JdbcSettings settings = SqliteFixture.settings(SqliteFixture.newDatabase());
 * }</pre>
 */
public final class SqliteFixture {
  private SqliteFixture() {}

  /** The JDBC URL of a new, empty SQLite file under {@code java.io.tmpdir}. */
  public static String newDatabase() {
    return newDatabase(Path.of(System.getProperty("java.io.tmpdir"), "docsgen-sqlite"));
  }

  /** The JDBC URL of a new, empty SQLite file in {@code directory}. */
  public static String newDatabase(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path file = directory.resolve("manifest-" + UUID.randomUUID() + ".db").toAbsolutePath();
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      file.resolveSibling(file.getFileName() + suffix).toFile().deleteOnExit();
    }
    return "jdbc:sqlite:" + file;
  }

  /** Settings for {@code url}: no credentials, 4 reader connections, manifest only. */
  public static JdbcSettings settings(String url) {
    return new JdbcSettings(url, null, null, 4, false);
  }
}
